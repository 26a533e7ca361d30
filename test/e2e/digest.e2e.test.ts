import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIGEST_MARKER, readDigestState } from "../../src/postmortem/digest.js";
import { postmortemBody } from "../helpers/postmortems.js";
import { generateTestAppKey, REPO_ROOT } from "./harness.js";
import { startStandin, type Standin } from "./standin/server.js";

/**
 * The sharing-meeting digest, end to end: `postmortem-bot sweep` (the real CLI process) against the
 * stand-in. The meeting is weekly on today's weekday, so it is today. Its digest lives in the public
 * acme/digest, named by the configs of the private acme/pm and the public acme/open: only acme/open's
 * postmortems may appear there.
 */
const APP_ID = 515151;
const key = generateTestAppKey();
let standin: Standin;
const today = new Date();
const weekday = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"][today.getUTCDay()]!;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  let clock: Date | null = null;
  standin = await startStandin({ appId: APP_ID, publicKey: key.publicKey, now: () => clock ?? new Date() });
  standin.webhooksEnabled = false;
  standin.addInstallation({ id: 61, account: "acme" });
  const config = `sharing_meeting:\n  cadence: weekly\n  weekday: ${weekday}\n  repo: acme/digest\nreminders:\n  enabled: false\n`;
  const labels = [{ name: "postmortem" }, { name: "postmortem: published" }, { name: "recommended" }];
  standin.addRepo({ owner: "acme", name: "pm", private: true, installationId: 61, labels, files: { ".github/postmortem.yml": config } });
  standin.addRepo({ owner: "acme", name: "open", private: false, installationId: 61, labels, files: { ".github/postmortem.yml": config } });
  standin.addRepo({ owner: "acme", name: "digest", private: false, installationId: 61 });
  const body = postmortemBody({ summary: "Checkout failed for a third of learners. We rolled back.", severity: "SEV2", started: "2026-11-20T05:00:00Z", detected: "2026-11-20T05:12:00Z", mitigated: null, recovered: "2026-11-20T06:38:00Z" });
  const open = async (repo: string, title: string, at: Date, labels: string[]) => {
    clock = at;
    await standin.openIssue({ owner: "acme", repo, title, body, labels, user: "alice" });
  };
  await open("open", "Archive: search outage", new Date("2025-01-10T00:00:00Z"), ["postmortem", "postmortem: published", "recommended"]);
  await open("pm", "Private payroll incident", new Date(today.getTime() - 2 * DAY), ["postmortem", "postmortem: published"]);
  await open("open", "Public API outage", new Date(today.getTime() - DAY), ["postmortem", "postmortem: published"]);
  await open("open", "Still a draft", new Date(today.getTime() - DAY), ["postmortem"]);
  clock = null;
}, 60_000);

afterAll(async () => {
  await standin?.close();
});

async function sweep(): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(REPO_ROOT, "bin/postmortem-bot.js"), "sweep"], {
    env: { PATH: process.env.PATH, APP_ID: String(APP_ID), PRIVATE_KEY: key.privateKey, GHE_HOST: standin.host, GHE_PROTOCOL: "http" },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

describe("the sharing-meeting digest, end to end", () => {
  it("opens one digest for today's meeting in the public repository, without the private postmortem, and writes nothing the second time", async () => {
    expect(await sweep()).toMatchObject({ installations: 1, digestsWritten: 1 });
    const digests = standin.issues("acme", "digest").filter((i) => i.body?.startsWith(DIGEST_MARKER));
    expect(digests).toHaveLength(1);
    const date = today.toISOString().slice(0, 10);
    expect(digests[0]!.title).toBe(`Postmortem sharing meeting — ${date}`);
    const text = digests[0]!.body!;
    expect(readDigestState(text)).toEqual({ v: 1, date, listed: ["acme/open#2"], picked: "acme/open#1" });
    expect(text).toContain("### Published since the last meeting (1)");
    expect(text).toContain("- [Public API outage](https://github.com/acme/open/issues/2) (`acme/open#2`) — SEV2 · TTD 12m · TTR 1h 38m");
    expect(text).toContain("  > Checkout failed for a third of learners.");
    expect(text).toContain("- [Archive: search outage](https://github.com/acme/open/issues/1) (`acme/open#1`) — Recommended reading that no earlier meeting picked.");
    expect(text).not.toContain("acme/pm");
    expect(text).not.toContain("payroll");

    const mark = standin.mark();
    expect(await sweep()).toMatchObject({ digestsWritten: 0 });
    expect(standin.callsSince(mark, { installationOnly: true, writesOnly: true })).toEqual([]);
    expect(standin.issues("acme", "digest")).toHaveLength(1);

    // The draft is published before the meeting's digest is superseded: the same issue is edited in place.
    await standin.addLabel("acme", "open", 3, "postmortem: published", "alice");
    expect(await sweep()).toMatchObject({ digestsWritten: 1 });
    const after = standin.issues("acme", "digest");
    expect(after).toHaveLength(1);
    expect(readDigestState(after[0]!.body)).toEqual({ v: 1, date, listed: ["acme/open#2", "acme/open#3"], picked: "acme/open#1" });
    expect(standin.refused).toEqual([]);
  }, 120_000);
});
