import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigFile, resolveConfig } from "../../src/config/load.js";
import { defaultForm } from "../../src/config/setup.js";
import { entryFrom, readEntries, renderReadingList, type ReadingEntry } from "../../src/postmortem/reading-list.js";
import { validatePostmortem } from "../../src/postmortem/validate.js";
import { body, TEAMS_CONFIG_TEXT } from "../helpers/fixtures.js";
import { startStack, type E2EStack } from "./harness.js";
import { settle } from "./settle.js";

const OWNER = "acme";
const REPO = "pm";
const CONFIG = `${TEAMS_CONFIG_TEXT}\nreading_list:\n  curators: [sre-lead]\n`;
let stack: E2EStack;

beforeAll(async () => {
  stack = await startStack({
    setup: (standin) => {
      standin.addInstallation({ id: 11, account: OWNER });
      standin.addRepo({ owner: OWNER, name: REPO, installationId: 11, labels: [{ name: "postmortem" }], files: { ".github/postmortem.yml": CONFIG } });
      standin.setPermission(OWNER, REPO, "sre-lead", "maintain");
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const listIssue = () => stack.standin.issues(OWNER, REPO).find((i) => i.title === "Postmortem reading list")!;

describe("the reading list, end to end", () => {
  it("follows labels and edits, writes nothing on repeats, refuses non-curators and drafts, and opens a balanced session", async () => {
    const { standin, app } = stack;
    const open = async (title: string, text: string) => (await standin.openIssue({ owner: OWNER, repo: REPO, title, body: text, labels: ["postmortem"], user: "alice" })).number;
    const p1 = await open("Checkout outage", body("complete"));
    const p2 = await open("Media certificate expiry", body("tricky"));
    const p3 = await open("Search disk full", body("complete"));
    const draft = await open("Half-written", body("incomplete"));
    await settle(standin, [app]);

    // Three recommendations with different reasons, by the curator.
    await standin.addLabel(OWNER, REPO, p1, "recommended", "sre-lead");
    await standin.addLabel(OWNER, REPO, p1, "recommended: lessons", "sre-lead");
    await standin.addLabel(OWNER, REPO, p2, "recommended", "sre-lead");
    await standin.addLabel(OWNER, REPO, p2, "recommended: architecture", "sre-lead");
    await standin.addLabel(OWNER, REPO, p3, "recommended", "sre-lead");
    await standin.addLabel(OWNER, REPO, p3, "recommended: response", "sre-lead");
    await settle(standin, [app]);
    // One is taken off again, another is renamed.
    await standin.removeLabel(OWNER, REPO, p2, "recommended: architecture", "sre-lead");
    await standin.removeLabel(OWNER, REPO, p2, "recommended", "sre-lead");
    await standin.editIssue(OWNER, REPO, p3, { title: "Search cluster disk full" }, "alice");
    await settle(standin, [app]);

    // The list, exactly: computed here from the same bodies with the pure renderer.
    const config = resolveConfig((parseConfigFile(CONFIG, "c") as { ok: true; raw: Record<string, unknown> }).raw);
    const expectedEntry = (n: number, title: string, text: string, reason: string): ReadingEntry => {
      const validation = validatePostmortem({ body: text, form: defaultForm(), config, now: new Date(), home: { owner: OWNER, repo: REPO } });
      return entryFrom({ ref: `${OWNER}/${REPO}#${n}`, url: `https://github.com/${OWNER}/${REPO}/issues/${n}`, title, labels: ["recommended", `recommended: ${reason}`] }, validation, config, { note: "", by: "sre-lead" });
    };
    const expected = renderReadingList(
      [expectedEntry(p1, "Checkout outage", body("complete"), "lessons"), expectedEntry(p3, "Search cluster disk full", body("complete"), "response")],
      { handedOut: {} },
      config,
      () => "",
    )[0]!.body;
    expect(listIssue().body).toBe(expected);

    // Every label delivery again: the list is read, never written.
    const mark = standin.mark();
    for (const d of standin.deliveries.filter((d) => d.event === "issues" && (d.action === "labeled" || d.action === "unlabeled") && (d.payload as { sender?: { type?: string } }).sender?.type !== "Bot")) {
      await standin.sendWebhook("issues", d.payload as never);
    }
    await settle(standin, [app]);
    expect(standin.callsSince(mark, { installationOnly: true, writesOnly: true })).toEqual([]);

    // What one recommendation and its removal cost: read the postmortem, read the list, write the list.
    let cost = standin.mark();
    await standin.addLabel(OWNER, REPO, p2, "recommended", "sre-lead");
    await settle(standin, [app]);
    const recommendCalls = standin.describeCalls(standin.apiCallsSince(cost));
    cost = standin.mark();
    await standin.removeLabel(OWNER, REPO, p2, "recommended", "sre-lead");
    await settle(standin, [app]);
    const unrecommendCalls = standin.describeCalls(standin.apiCallsSince(cost));
    // The list had not changed since the app last read it, so that read is a free 304; after the app's
    // own write it is read in full again.
    const get = "GET /repos/{owner}/{repo}/issues/{issue_number}";
    const patch = "PATCH /repos/{owner}/{repo}/issues/{issue_number} 200";
    expect(recommendCalls).toEqual([`${get} 200`, `${get} 304 (not modified)`, patch]);
    expect(unrecommendCalls).toEqual([`${get} 200`, `${get} 200`, patch]);

    // Someone who is not a curator: the label comes off, with a polite word.
    await standin.addLabel(OWNER, REPO, p2, "recommended", "bob");
    await settle(standin, [app]);
    expect(standin.issue(OWNER, REPO, p2)!.labels.map((l) => l.name)).not.toContain("recommended");
    expect(standin.comments(OWNER, REPO, p2).at(-1)!.body).toContain("Only the reading-list curators (`sre-lead`) can recommend postmortems");

    // A draft cannot be recommended.
    await standin.addLabel(OWNER, REPO, draft, "recommended", "sre-lead");
    await settle(standin, [app]);
    expect(standin.issue(OWNER, REPO, draft)!.labels.map((l) => l.name)).not.toContain("recommended");
    expect(standin.comments(OWNER, REPO, draft).at(-1)!.body).toContain("is not complete yet");
    expect(readEntries(listIssue().body!).map((e) => e.ref)).toEqual([`${OWNER}/${REPO}#${p1}`, `${OWNER}/${REPO}#${p3}`]);

    // A reading session for a newcomer: one per reason, assigned, remembered.
    await standin.comment(OWNER, REPO, p1, "/postmortem reading-session 2 @newbie", "sre-lead");
    await settle(standin, [app]);
    const session = standin.issues(OWNER, REPO).find((i) => i.title.startsWith("Postmortem reading session — "))!;
    expect(session.assignees.map((a) => a.login)).toEqual(["newbie"]);
    expect(session.body!.match(/^- \[ \] /gm)).toHaveLength(2);
    expect(session.body).toContain("Holds many lessons");
    expect(session.body).toContain("A reference for how to act during an incident");
    expect(listIssue().body).toContain('"newbie":["acme/pm#1","acme/pm#3"]');
    expect(app.errorLogs()).toEqual([]);
    expect(standin.refused).toEqual([]);
  }, 120_000);
});
