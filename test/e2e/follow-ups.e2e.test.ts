import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFollowUps } from "../../src/postmortem/follow-ups.js";
import { readState } from "../../src/postmortem/status.js";
import { body as fixtureBody } from "../helpers/fixtures.js";
import { startStack, type E2EStack } from "./harness.js";
import { settle } from "./settle.js";

/**
 * Publishing across three repositories against the real app process. Probot's
 * throttling spaces the writes (3 s per created issue), so the items are few.
 */
const OWNER = "acme";
const CONFIG = `teams:
  team-a: { repo: acme/team-a, labels: [team-a] }
  team-b: { repo: acme/team-b }
`;
const withItems = (items: string[]) =>
  fixtureBody("complete").replace(/### Action items\n\n[\s\S]*?\n\n### What went well/, `### Action items\n\n${items.join("\r\n")}\n\n### What went well`);
const ITEM_A = "- [ ] Alert on pool saturation — owner: team-a type: detect due: 2026-12-15";
const ITEM_B = "- [ ] Add payments to the campaign checklist — owner: team-b type: process";
const ITEM_C = "- [ ] Load-test checkout at 10x — owner: team-a type: prevent";

let stack: E2EStack;
const labelsOf = (repo: string, n: number) => stack.standin.issue(OWNER, repo, n)!.labels.map((l) => l.name).sort();
const followUpsIn = (repo: string) => stack.standin.issues(OWNER, repo).filter((i) => i.labels.some((l) => l.name === "postmortem follow-up"));

beforeAll(async () => {
  stack = await startStack({
    setup: (standin) => {
      standin.addInstallation({ id: 9, account: OWNER });
      const labels = [{ name: "postmortem" }, { name: "postmortem: published" }];
      standin.addRepo({ owner: OWNER, name: "postmortems", installationId: 9, labels, files: { ".github/postmortem.yml": CONFIG } });
      standin.addRepo({ owner: OWNER, name: "team-a", installationId: 9 });
      standin.addRepo({ owner: OWNER, name: "team-b", installationId: 9 });
      standin.addRepo({ owner: OWNER, name: "secret", private: true, installationId: 9, labels, files: { ".github/postmortem.yml": CONFIG } });
      // Publishing needs triage or more from whoever adds the label.
      for (const repo of ["postmortems", "secret"]) standin.setPermission(OWNER, repo, "sre-lead", "maintain");
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("follow-ups, end to end", () => {
  it("files one issue per item, never twice, files late items, and tracks them to done", async () => {
    const { standin, app } = stack;
    const pm = await standin.openIssue({ owner: OWNER, repo: "postmortems", title: "[Postmortem] Checkout", body: withItems([ITEM_A, ITEM_B]), labels: ["postmortem"], user: "alice" });
    await settle(standin, [app]);
    expect(labelsOf("postmortems", pm.number)).toContain("postmortem: ready");

    // Publish: one follow-up per item, in each owner's repository, linked back.
    const mark = standin.mark();
    await standin.addLabel(OWNER, "postmortems", pm.number, "postmortem: published", "sre-lead");
    await settle(standin, [app]);
    const publishCalls = standin.describeCalls(standin.apiCallsSince(mark));
    expect(followUpsIn("team-a")).toHaveLength(1);
    expect(followUpsIn("team-b")).toHaveLength(1);
    const a = followUpsIn("team-a")[0]!;
    expect(a.title).toBe("Alert on pool saturation");
    expect(a.labels.map((l) => l.name).sort()).toEqual(["detect", "postmortem follow-up", "team-a"]);
    expect(a.body).toContain(`| Postmortem | ${OWNER}/postmortems#${pm.number} |`);
    let body = standin.issue(OWNER, "postmortems", pm.number)!.body!;
    expect(body).toContain(`${ITEM_A} acme/team-a#${a.number}\r\n`);
    expect(body).toContain(`${ITEM_B} acme/team-b#${followUpsIn("team-b")[0]!.number}\n`);
    // 5 + 2 per follow-up: read, the labeller's permission, intent, (create, record) x2, fresh read, body. The app's own
    // writes come back as webhooks and cost nothing; the repo reads are the cold visibility cache.
    expect(publishCalls.filter((c) => !c.startsWith("GET /repos/{owner}/{repo} "))).toEqual([
      "GET /repos/{owner}/{repo}/issues/{issue_number} 200",
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission 200",
      "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} 200",
      "POST /repos/{owner}/{repo}/issues 201",
      "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} 200",
      "POST /repos/{owner}/{repo}/issues 201",
      "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} 200",
      // The fresh read before writing the links: unchanged since the first read, so a free 304.
      "GET /repos/{owner}/{repo}/issues/{issue_number} 304 (not modified)",
      "PATCH /repos/{owner}/{repo}/issues/{issue_number} 200",
    ]);

    // The publish delivery redelivered 3 times, plus a concurrent human edit: still one issue per item.
    const publish = standin.deliveries.find((d) => d.event === "issues" && d.action === "labeled" && (d.payload as { label?: { name?: string } }).label?.name === "postmortem: published")!;
    body = standin.issue(OWNER, "postmortems", pm.number)!.body!;
    await Promise.all([
      standin.redeliver(publish.id),
      standin.redeliver(publish.id),
      standin.redeliver(publish.id),
      standin.editIssue(OWNER, "postmortems", pm.number, { body: body.replace("### Summary\n\n", "### Summary\n\nEdited during publish. ") }, "alice"),
    ]);
    await settle(standin, [app]);
    expect(followUpsIn("team-a")).toHaveLength(1);
    expect(followUpsIn("team-b")).toHaveLength(1);

    // An item added after publishing by its author, who has no permission here, is not filed: the status comment says so.
    body = standin.issue(OWNER, "postmortems", pm.number)!.body!;
    await standin.editIssue(OWNER, "postmortems", pm.number, { body: body.replace(/(acme\/team-b#\d+)/, `$1\r\n${ITEM_C}`) }, "alice");
    await settle(standin, [app]);
    expect(followUpsIn("team-a")).toHaveLength(1);
    expect(standin.comments(OWNER, "postmortems", pm.number)[0]!.body).toContain("1 action item was added after publishing and is not filed yet");
    // Someone with triage or more causes the filing, here with `/postmortem check`.
    await standin.comment(OWNER, "postmortems", pm.number, "/postmortem check", "sre-lead");
    await settle(standin, [app]);
    expect(followUpsIn("team-a").map((i) => i.title).sort()).toEqual(["Alert on pool saturation", "Load-test checkout at 10x"]);
    body = standin.issue(OWNER, "postmortems", pm.number)!.body!;
    expect(body.match(/acme\/team-a#\d+/g)).toHaveLength(2);

    // Closing every follow-up ticks the boxes and sets `actions done`.
    for (const issue of [...followUpsIn("team-a"), ...followUpsIn("team-b")]) {
      await standin.closeIssue(OWNER, issue.repository_url.endsWith("team-a") ? "team-a" : "team-b", issue.number, { reason: "completed" }, "bob");
    }
    await settle(standin, [app]);
    body = standin.issue(OWNER, "postmortems", pm.number)!.body!;
    expect(body.match(/- \[x\]/g)).toHaveLength(3);
    expect(body).not.toMatch(/- \[ \] (Alert|Add|Load)/);
    expect(labelsOf("postmortems", pm.number)).toContain("postmortem: actions done");
    const comment = standin.comments(OWNER, "postmortems", pm.number).filter((c) => c.user.type === "Bot");
    expect(comment).toHaveLength(1);
    expect(comment[0]!.body).toContain("#### Follow-ups: 3 of 3 done");
    expect(Object.keys(readFollowUps(readState(comment[0]!.body)).items)).toHaveLength(3);
    expect(standin.refused).toEqual([]);
    expect(app.errorLogs()).toEqual([]);
  }, 120_000);

  it("refuses to file a private postmortem's items into a public repository, with a clear comment", async () => {
    const { standin, app } = stack;
    const pm = await standin.openIssue({ owner: OWNER, repo: "secret", title: "[Postmortem] Secret", body: withItems([ITEM_B]), labels: ["postmortem"], user: "alice" });
    await settle(standin, [app]);
    await standin.addLabel(OWNER, "secret", pm.number, "postmortem: published", "sre-lead");
    await settle(standin, [app]);
    expect(followUpsIn("team-b")).toHaveLength(1); // only the one from the first scenario
    const [comment] = standin.comments(OWNER, "secret", pm.number);
    expect(comment!.body).toContain("this postmortem is private and `acme/team-b` is public");
    expect(comment!.body).toContain("follow_ups.allow_public_targets: true");
  }, 60_000);
});
