import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readState } from "../../src/postmortem/status.js";
import { body as fixtureBody } from "../helpers/fixtures.js";
import { startStack, type E2EStack } from "./harness.js";
import { settle } from "./settle.js";

/**
 * Levels and error budgets against the real app process: the status comment's
 * level checklist and budget figures, a re-evaluation by command, the review
 * deadline, and the due date a follow-up gets from its level.
 */
const OWNER = "acme";
const CONFIG = `slos:
  - { name: checkout availability, target: 99.9, window: 30d }
  - { name: api latency, target: 99.5, window: 4w }
teams:
  team-a: { repo: acme/team-a }
`;
const ITEM = "- [ ] Load-test checkout at 10x — owner: team-a type: prevent";
const BODY = fixtureBody("complete-slo").replace(/### Action items\r\n\r\n[\s\S]*?\r\n\r\n### What went well/, `### Action items\r\n\r\n${ITEM}\r\n\r\n### What went well`);
const DAY = 86_400_000;

let stack: E2EStack;

beforeAll(async () => {
  stack = await startStack({
    setup: (standin) => {
      standin.addInstallation({ id: 11, account: OWNER });
      standin.addRepo({ owner: OWNER, name: "postmortems", installationId: 11, labels: [{ name: "postmortem" }, { name: "postmortem: published" }], files: { ".github/postmortem.yml": CONFIG } });
      standin.addRepo({ owner: OWNER, name: "team-a", installationId: 11 });
      standin.setPermission(OWNER, "postmortems", "carol", "triage");
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

/** Weekdays after `from` (a UTC date) up to and including `to`: an oracle independent of the app's luxon code. */
function weekdaysBetween(from: string, to: string): number {
  let count = 0;
  for (let t = Date.parse(`${from}T00:00:00Z`) + DAY; t <= Date.parse(`${to}T00:00:00Z`); t += DAY) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) count++;
  }
  return count;
}

describe("levels and error budgets, end to end", () => {
  it("shows the level's rules and the budget, re-evaluates the level by command, and dates follow-ups from the level", async () => {
    const { standin, app } = stack;
    const pm = await standin.openIssue({ owner: OWNER, repo: "postmortems", title: "[Postmortem] Checkout", body: BODY, labels: ["postmortem"], user: "alice" });
    await settle(standin, [app]);
    let [comment] = standin.comments(OWNER, "postmortems", pm.number);
    expect(comment!.body).toContain("### Postmortem check: ✅ ready");
    expect(comment!.body).toContain("#### Level: SEV2\n\nMajor: a core feature is broken or badly degraded for many customers, with no workaround.");
    expect(comment!.body).toContain("- [x] **Timeline** is written\n- [x] **Root causes** is written\n- Follow-ups without a `due:` date are due 30 business days after publishing");
    // Recovered Friday 2026-11-20 (UTC): SEV2 reviews within 10 business days, by Friday 2026-12-04.
    expect(comment!.body).toMatch(/- \[ \] (Review \(publish\) by 2026-12-04: 10 business days after recovery|⚠️ The review was due on 2026-12-04)/);
    // 98 min × 38%: 37.24 min of 43.2 (99.9%/30d) and of 201.6 (99.5%/4w).
    expect(comment!.body).toContain("| checkout availability | 99.9% | 30d | 86.2% |\n| api latency | 99.5% | 4w | 18.5% |");
    expect(comment!.body).toContain("Affected share: 38% (from **Affected share**).");

    // Re-evaluated to SEV1 by someone with triage: SEV1's rules, kept with who and why, and a label.
    const mark = standin.mark();
    await standin.comment(OWNER, "postmortems", pm.number, "/postmortem level SEV1 every learner in Japan was affected", "carol");
    await settle(standin, [app]);
    // 👀, permission, fresh read, the comment, the label made once (list, create) and added, 🚀.
    expect(standin.describeCalls(standin.apiCallsSince(mark))).toEqual([
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions 201",
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission 200",
      "GET /repos/{owner}/{repo}/issues/{issue_number} 200",
      "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} 200",
      "GET /repos/{owner}/{repo}/labels 200",
      "POST /repos/{owner}/{repo}/labels 201",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/labels 200",
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions 201",
    ]);
    [comment] = standin.comments(OWNER, "postmortems", pm.number).filter((c) => c.body.includes("postmortem-bot:status"));
    expect(comment!.body).toContain("#### Level: SEV1 (declared SEV2)");
    expect(comment!.body).toMatch(/Re-evaluated from SEV2 to SEV1 by `carol` on \d{4}-\d{2}-\d{2}: `every learner in Japan was affected`/);
    // SEV1: within 5 business days of Friday 2026-11-20, Friday 2026-11-27, which has passed.
    expect(comment!.body).toContain("- [ ] ⚠️ The review was due on 2026-11-27");
    expect(comment!.body).toContain("- Follow-ups without a `due:` date are due 20 business days after publishing");
    expect(readState(comment!.body)?.levelEvaluation).toMatchObject({ level: "SEV1", by: "carol", reason: "every learner in Japan was affected" });
    expect(standin.issue(OWNER, "postmortems", pm.number)!.labels.map((l) => l.name)).toContain("evaluated: SEV1");

    // Published: the item without `due:` is due 20 business days (SEV1) after the publish date.
    await standin.addLabel(OWNER, "postmortems", pm.number, "postmortem: published", "carol");
    await settle(standin, [app]);
    const [followUp] = standin.issues(OWNER, "team-a");
    const due = /^\| Due \| (\d{4}-\d{2}-\d{2}) \|$/m.exec(followUp!.body ?? "")?.[1];
    [comment] = standin.comments(OWNER, "postmortems", pm.number).filter((c) => c.body.includes("postmortem-bot:status"));
    const publishedOn = followUp!.created_at.slice(0, 10);
    expect(due).toBeDefined();
    expect(weekdaysBetween(publishedOn, due!)).toBe(20);
    expect([0, 6]).not.toContain(new Date(`${due}T00:00:00Z`).getUTCDay());
    expect(comment!.body).toContain("- [x] Reviewed and published");
    expect(standin.refused).toEqual([]);
    expect(app.errorLogs()).toEqual([]);
  }, 120_000);
});
