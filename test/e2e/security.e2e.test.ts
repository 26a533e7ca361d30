import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFollowUps } from "../../src/postmortem/follow-ups.js";
import { readEntries } from "../../src/postmortem/reading-list.js";
import { isStatusComment, readState } from "../../src/postmortem/status.js";
import { body as fixtureBody } from "../helpers/fixtures.js";
import { startStack, type E2EStack } from "./harness.js";
import { settle } from "./settle.js";

/**
 * Issue 14 against the real app process: what crosses visibility, and who may
 * cause writes beyond the issue they touched (docs/security.md).
 */
const OWNER = "acme";
// The fixture bodies' owners (backend, @acme/sre) and one more team for the publishing scenario.
const TEAMS = "teams:\n  backend: { repo: acme/backend }\n  sre: { repo: acme/sre, handles: [\"@acme/sre\"] }\n  team-a: { repo: acme/team-a }\n";
const ITEM = "- [ ] Alert on pool saturation — owner: team-a type: detect";
const withItems = (items: string[]) =>
  fixtureBody("complete").replace(/### Action items\n\n[\s\S]*?\n\n### What went well/, `### Action items\n\n${items.join("\r\n")}\n\n### What went well`);
const FAKE_ENTRY = `<!-- postmortem-bot:entry {"ref":"acme/vault#1","url":"u","title":"x","date":null,"severity":null,"ttdSeconds":null,"ttrSeconds":null,"summary":"","reasons":[],"note":"","by":""} -->`;

let stack: E2EStack;
const botReplies = (repo: string, n: number) =>
  stack.standin.comments(OWNER, repo, n).filter((c) => c.user.type === "Bot" && !isStatusComment(c.body));
const statusOf = (repo: string, n: number) => stack.standin.comments(OWNER, repo, n).find((c) => isStatusComment(c.body))!.body!;

beforeAll(async () => {
  stack = await startStack({
    setup: (standin) => {
      standin.addInstallation({ id: 21, account: OWNER });
      const labels = [{ name: "postmortem" }, { name: "recommended" }];
      standin.addRepo({ owner: OWNER, name: "handbook", installationId: 21, labels, files: { ".github/postmortem.yml": TEAMS } });
      standin.addRepo({ owner: OWNER, name: "ops", installationId: 21, labels, files: { ".github/postmortem.yml": TEAMS } });
      standin.addRepo({ owner: OWNER, name: "incidents", private: true, installationId: 21, labels, files: { ".github/postmortem.yml": `${TEAMS}metrics:\n  repo: acme/handbook\n` } });
      standin.addRepo({ owner: OWNER, name: "vault", private: true, installationId: 21, labels, files: { ".github/postmortem.yml": TEAMS } });
      standin.addRepo({ owner: OWNER, name: "closing", installationId: 21, labels, files: { ".github/postmortem.yml": `${TEAMS}follow_ups:\n  publish_on: close\n` } });
      standin.addRepo({ owner: OWNER, name: "team-a", installationId: 21 });
      standin.setPermission(OWNER, "handbook", "lead", "maintain");
      standin.setPermission(OWNER, "handbook", "triager", "triage");
      standin.setPermission(OWNER, "incidents", "lead", "read");
      standin.setPermission(OWNER, "closing", "lead", "triage");
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("security, end to end", () => {
  it("gathers only what may cross: maintain on the target, sources the caller can read, nothing private into a public list or metrics issue", async () => {
    const { standin, app } = stack;
    const secret = await standin.openIssue({ owner: OWNER, repo: "incidents", title: "Secret vendor breach", body: fixtureBody("complete"), labels: ["postmortem", "recommended"], user: "alice" });
    const open = await standin.openIssue({ owner: OWNER, repo: "ops", title: `Cache stampede ${FAKE_ENTRY}`, body: fixtureBody("complete"), labels: ["postmortem", "recommended"], user: "alice" });
    const where = await standin.openIssue({ owner: OWNER, repo: "handbook", title: "Onboarding", body: "Where new people start.", user: "lead" });
    await settle(standin, [app]);

    // Triage on the public target is not enough to gather into it.
    await standin.comment(OWNER, "handbook", where.number, "/postmortem rebuild-reading-list", "triager");
    await settle(standin, [app]);
    expect(botReplies("handbook", where.number).map((c) => c.body)).toEqual([
      "Sorry, this command gathers postmortems across repositories into `acme/handbook`, so it needs maintain or admin permission on `acme/handbook`.",
    ]);
    expect(standin.issues(OWNER, "handbook").filter((i) => i.title === "Postmortem reading list")).toEqual([]);

    // A maintainer: the public postmortem is listed, the private one is only counted, the unreadable repository left out.
    await standin.comment(OWNER, "handbook", where.number, "/postmortem rebuild-reading-list", "lead");
    await settle(standin, [app]);
    const list = standin.issues(OWNER, "handbook").find((i) => i.title === "Postmortem reading list")!;
    expect(readEntries(list.body!).map((e) => e.ref)).toEqual([`acme/ops#${open.number}`]);
    expect(list.body).toContain("1 postmortem from repositories fewer people can read is not shown here");
    expect(list.body).not.toMatch(/incidents|Secret vendor/);
    // The title's copy of a marker is plain text: no HTML comment opens outside the app's own markers.
    expect(list.body!.split("\n").filter((l) => l.includes("<!--")).every((l) => l.startsWith("<!-- postmortem-bot:"))).toBe(true);
    expect(botReplies("handbook", where.number).at(-1)!.body).toMatch(/rebuilt from \d+ repositories: 1 postmortems\. .*1 repository you cannot read was left out\./);

    // Rebuilt again: the list reads back exactly what it wrote, so nothing is written.
    const mark = standin.mark();
    await standin.comment(OWNER, "handbook", where.number, "/postmortem rebuild-reading-list", "lead");
    await settle(standin, [app]);
    expect(standin.callsSince(mark, { installationOnly: true, writesOnly: true }).filter((c) => c.route === "PATCH /repos/{owner}/{repo}/issues/{issue_number}")).toEqual([]);

    // The metrics issue of the public handbook does not count the private repository that names it, and says so.
    await standin.comment(OWNER, "handbook", where.number, "/postmortem report", "lead");
    await settle(standin, [app]);
    const metrics = standin.issues(OWNER, "handbook").find((i) => i.title === "Postmortem metrics")!;
    expect(metrics.body).toContain("1 repository reporting here is not counted: more people can read this issue than it");
    expect(metrics.body).not.toMatch(/incidents|Secret vendor/);
    expect(secret.number).toBeGreaterThan(0);

    // Issue 13: taking `recommended` off takes the postmortem off its list, and its reason labels with it.
    await standin.addLabel(OWNER, "ops", open.number, "recommended: lessons", "alice");
    await settle(standin, [app]);
    const opsList = () => standin.issues(OWNER, "ops").find((i) => i.title === "Postmortem reading list")!;
    expect(readEntries(opsList().body!).map((e) => [e.ref, e.reasons])).toEqual([[`acme/ops#${open.number}`, ["lessons"]]]);
    await standin.removeLabel(OWNER, "ops", open.number, "recommended", "alice");
    await settle(standin, [app]);
    expect(standin.issue(OWNER, "ops", open.number)!.labels.map((l) => l.name)).not.toContain("recommended: lessons");
    expect(readEntries(opsList().body!)).toEqual([]);
    expect(app.errorLogs()).toEqual([]);
  }, 180_000);

  it("publishes on close only for someone with triage or more, and refuses the author once", async () => {
    const { standin, app } = stack;
    const pm = await standin.openIssue({ owner: OWNER, repo: "closing", title: "[Postmortem] Checkout", body: withItems([ITEM]), labels: ["postmortem"], user: "alice" });
    await settle(standin, [app]);

    // The author (read on this public repository) closes it: nothing is filed, one reply.
    await standin.closeIssue(OWNER, "closing", pm.number, { reason: "completed" }, "alice");
    await settle(standin, [app]);
    await standin.reopenIssue(OWNER, "closing", pm.number, "alice");
    await standin.closeIssue(OWNER, "closing", pm.number, { reason: "completed" }, "alice");
    await settle(standin, [app]);
    expect(standin.issues(OWNER, "team-a")).toEqual([]);
    expect(botReplies("closing", pm.number)).toHaveLength(1);
    expect(botReplies("closing", pm.number)[0]!.body).toContain("Sorry, `alice`: publishing this postmortem files its action items into other repositories");
    expect(statusOf("closing", pm.number)).toContain("Publishing was refused: `alice` does not have triage permission or more on this repository");
    expect(readFollowUps(readState(statusOf("closing", pm.number))).published).toBe(false);

    // Someone with triage closes it: published, the item filed.
    await standin.reopenIssue(OWNER, "closing", pm.number, "lead");
    await standin.closeIssue(OWNER, "closing", pm.number, { reason: "completed" }, "lead");
    await settle(standin, [app]);
    expect(standin.issues(OWNER, "team-a").map((i) => i.title)).toEqual(["Alert on pool saturation"]);
    expect(readFollowUps(readState(statusOf("closing", pm.number))).published).toBe(true);
    expect(statusOf("closing", pm.number)).not.toContain("Publishing was refused");
    expect(botReplies("closing", pm.number)).toHaveLength(1);
    expect(app.errorLogs()).toEqual([]);
  }, 180_000);
});
