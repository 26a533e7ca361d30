import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/schema.js";
import { defaultForm } from "../../src/config/setup.js";
import { parseBody } from "../../src/form/body.js";
import { SimilarPostmortems, similarForStatus, type SimilarInput } from "../../src/features/similar.js";
import type { Octokit } from "../../src/github/octokit.js";
import { postmortemBody } from "../helpers/postmortems.js";

const form = defaultForm();
const body = postmortemBody({ severity: "SEV2", started: "2026-11-20T05:00:00Z", detected: "2026-11-20T05:12:00Z", mitigated: null, recovered: "2026-11-20T06:38:00Z" });
const input = (over: Partial<SimilarInput>): SimilarInput => ({
  installationId: 1,
  owner: "acme",
  repo: "pm",
  issue: { number: 7, title: "Checkout outage", html_url: "https://github.com/acme/pm/issues/7", created_at: "2026-11-21T00:00:00Z" },
  parsed: parseBody(body, form),
  setup: { config: defaultConfig, form, sources: [] },
  previous: null,
  status: "ready",
  asked: false,
  ...over,
});

/** An Octokit whose every request fails, counting them. */
function failing() {
  let calls = 0;
  const fail = () => {
    calls++;
    return Promise.reject(Object.assign(new Error("secondary rate limit"), { status: 403 }));
  };
  const octokit = { paginate: fail, graphql: fail, request: fail, rest: { apps: { listReposAccessibleToInstallation: {} } } } as unknown as Octokit;
  return { octokit, calls: () => calls };
}

describe("similarForStatus", () => {
  it("looks nothing up on an edit of a ready postmortem: the kept suggestions stay, at no call", async () => {
    const { octokit, calls } = failing();
    const kept = { basis: "b", items: [{ ref: "acme/pm#1", title: "Old", url: "https://github.com/acme/pm/issues/1", reasons: [] }] };
    const previous = { v: 1 as const, status: "ready" as const, similar: kept };
    expect(await similarForStatus(octokit, new SimilarPostmortems(), input({ previous }))).toEqual(kept);
    expect(calls()).toBe(0);
  });

  it("keeps what was there when the index cannot be read, so the check is not lost", async () => {
    const { octokit, calls } = failing();
    const errors: unknown[] = [];
    const previous = { v: 1 as const, status: "incomplete" as const };
    expect(await similarForStatus(octokit, new SimilarPostmortems(), input({ previous, onError: (e) => errors.push(e) }))).toBeUndefined();
    expect(calls()).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it("is off with similar.enabled: false", async () => {
    const { octokit, calls } = failing();
    const setup = { config: { ...defaultConfig, similar: { enabled: false, limit: 3 } }, form, sources: [] };
    expect(await similarForStatus(octokit, new SimilarPostmortems(), input({ setup }))).toBeUndefined();
    expect(calls()).toBe(0);
  });
});

describe("SimilarPostmortems.observe", () => {
  const setup = { config: defaultConfig, form, sources: [] };
  const source = { repo: "acme/pm", number: 7, title: "Checkout outage", url: "https://github.com/acme/pm/issues/7", createdAt: "2026-11-21T00:00:00Z" };

  it("makes a postmortem's document once per parsed body (an unchanged re-edit reuses it), and anew when the body, title or setup changes", () => {
    const similar = new SimilarPostmortems();
    const parsed = parseBody(body, form);
    const first = similar.observe(1, source, parsed, setup);
    expect(similar.observe(1, source, parsed, setup)).toBe(first);
    // The same text parsed again is a new object: the document is made again, and equal.
    const again = similar.observe(1, source, parseBody(body, form), setup);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    const retitled = similar.observe(1, { ...source, title: "Checkout outage (card payments)" }, parsed, setup);
    expect(retitled.title).toBe("Checkout outage (card payments)");
    expect(similar.observe(1, source, parsed, { ...setup }).title).toBe("Checkout outage");
    expect(similar.observe(1, source, parsed, { ...setup })).not.toBe(first);
  });
});
