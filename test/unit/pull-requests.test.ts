import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/schema.js";
import { defaultForm } from "../../src/config/setup.js";
import { parseBody } from "../../src/form/body.js";
import { PULL_REQUEST_MARKER, relatedPostmortems, renderPullRequestComment } from "../../src/postmortem/pull-requests.js";
import { docFrom, pathMatches, pathsIn, type SimilarDoc } from "../../src/postmortem/similarity.js";
import { postmortemBody } from "../helpers/postmortems.js";

const base: SimilarDoc = { ref: "", repo: "", title: "", url: "https://github.com/x", createdAt: "2026-01-01T00:00:00Z", summary: "", causes: "", services: [], factors: [], paths: [], followUps: [], visibility: "private" };

describe("paths a postmortem names", () => {
  it("finds file URLs, path-like code spans and bare paths, not versions or words", () => {
    expect(pathsIn("Cap the pool in `services/payments/pool.ts` (see https://github.com/acme/backend/blob/main/src/db/client.ts#L10) and `v1.2`")).toEqual([
      "src/db/client.ts",
      "services/payments/pool.ts",
    ]);
    expect(pathsIn("./charts/checkout/")).toEqual(["charts/checkout/"]);
    expect(pathsIn("the checkout service")).toEqual([]);
  });

  it("matches a file, a directory's files and `*` patterns, nothing else", () => {
    expect(pathMatches("services/payments/pool.ts", "services/payments/pool.ts")).toBe(true);
    expect(pathMatches("services/payments/pool.ts", "services/payments")).toBe(true);
    expect(pathMatches("services/payments-v2/pool.ts", "services/payments")).toBe(false);
    expect(pathMatches("charts/checkout/values.yaml", "charts/*/values.yaml")).toBe(true);
    expect(pathMatches("charts/checkout/deep/values.yaml", "charts/*/values.yaml")).toBe(false);
  });

  it("reads the links of the shipped form's action items, and which tracked ones are still open", () => {
    const text = postmortemBody({ severity: "SEV2", started: "2026-11-20T05:00Z", detected: "2026-11-20T05:10Z", mitigated: null, recovered: "2026-11-20T06:00Z" }).replace(
      /### Action items\r\n\r\n[^#]*/,
      "### Action items\r\n\r\n- [ ] Time out calls in `services/payments/client.ts` — owner: @alice acme/backend#12\r\n- [x] Alert on the pool owner: @bob acme/backend#13\r\n\r\n",
    );
    const form = defaultForm();
    const doc = docFrom({ repo: "acme/pm", number: 1, title: "t", url: "u", createdAt: "c", visibility: "private" }, parseBody(text, form), form, defaultConfig);
    expect(doc.paths).toEqual(["services/payments/client.ts"]);
    expect(doc.followUps).toEqual([
      { ref: "acme/backend#12", text: "Time out calls in `services/payments/client.ts`", open: true },
      { ref: "acme/backend#13", text: "Alert on the pool", open: false },
    ]);
  });
});

describe("related postmortems of a pull request", () => {
  const pool: SimilarDoc = {
    ...base,
    ref: "acme/pm#1",
    repo: "acme/pm",
    title: "Pool exhausted",
    paths: ["services/payments"],
    followUps: [
      { ref: "acme/backend#12", text: "Time out calls", open: true },
      { ref: "acme/backend#13", text: "Alert", open: false },
      { ref: "acme/sre#4", text: "Runbook", open: true },
    ],
    visibility: "public",
  };
  const secret: SimilarDoc = { ...pool, ref: "acme/secret#1", repo: "acme/secret", visibility: "private", createdAt: "2025-01-01T00:00:00Z" };
  const publicBackend = { repo: "acme/backend", visibility: "public" } as const;

  it("lists the visible postmortems a changed file is under, with their open follow-ups in the pull request's repository", () => {
    expect(relatedPostmortems(["services/payments/pool.ts", "README.md"], [pool, secret], publicBackend)).toEqual([
      { ref: "acme/pm#1", title: "Pool exhausted", url: pool.url, paths: ["services/payments"], openFollowUps: [{ ref: "acme/backend#12", text: "Time out calls" }] },
    ]);
    // From a private repository, the private postmortem too (newest first).
    expect(relatedPostmortems(["services/payments/pool.ts"], [secret, pool], { repo: "acme/backend", visibility: "private" }).map((r) => r.ref)).toEqual(["acme/pm#1", "acme/secret#1"]);
    expect(relatedPostmortems(["docs/index.md"], [pool, secret], publicBackend)).toEqual([]);
  });

  it("renders one marked comment, in Japanese too, and none when nothing is related", () => {
    const related = relatedPostmortems(["services/payments/pool.ts"], [pool], publicBackend);
    const en = renderPullRequestComment(related, "en")!;
    expect(en.startsWith(PULL_REQUEST_MARKER)).toBe(true);
    expect(en).toContain("- [Pool exhausted](https://github.com/x) (`acme/pm#1`) — touches `services/payments`");
    expect(en).toContain("    - acme/backend#12 `Time out calls`");
    expect(renderPullRequestComment(related, "ja")).toContain("このプルリクエストは、1件のポストモーテムが挙げているコードを変更しています。");
    expect(renderPullRequestComment([], "en")).toBeNull();
  });
});
