import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATUS_MARKER } from "../../src/postmortem/status.js";
import { body, TEAMS_CONFIG_TEXT } from "../helpers/fixtures.js";
import { startStack, type E2EStack } from "./harness.js";
import { settle } from "./settle.js";

/**
 * The real `probot run` process against the stand-in, over HTTP with signed
 * webhooks. Probot's throttling is on here (writes are spaced 1-3 s), so the
 * scenario is one issue's whole check lifecycle, kept lean.
 */
const OWNER = "acme";
const REPO = "incidents";
let stack: E2EStack;

beforeAll(async () => {
  stack = await startStack({
    setup: (standin) => {
      standin.addInstallation({ id: 7, account: OWNER });
      standin.addRepo({
        owner: OWNER,
        name: REPO,
        private: true,
        installationId: 7,
        labels: [{ name: "postmortem", color: "5319e7" }],
        files: { ".github/postmortem.yml": TEAMS_CONFIG_TEXT },
      });
      standin.addRepo({ owner: OWNER, name: ".github", installationId: 7 });
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("the check, end to end", () => {
  it("comments and labels an incomplete postmortem, updates in place when fixed, and writes nothing for a no-op edit", async () => {
    const { standin, app } = stack;

    // 1. A person opens an incomplete postmortem from the form: GitHub sends `opened` and `labeled`.
    let mark = standin.mark();
    const issue = await standin.openIssue({ owner: OWNER, repo: REPO, title: "[Postmortem] Checkout outage", body: body("incomplete"), labels: ["postmortem"], user: "alice" });
    await settle(standin, [app]);
    const opened = standin.apiCallsSince(mark);
    let comments = standin.comments(OWNER, REPO, issue.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(STATUS_MARKER)).toBe(true);
    expect(comments[0]!.body).toContain("❌ 8 problems to fix");
    expect(comments[0]!.user.login).toBe("postmortem-bot[bot]");
    expect(standin.issue(OWNER, REPO, issue.number)!.labels.map((l) => l.name).sort()).toEqual(["postmortem", "postmortem: incomplete"]);
    expect(standin.labels(OWNER, REPO).find((l) => l.name === "postmortem: ready")).toMatchObject({ color: "0e8a16" });
    // Cold caches: the issue, 3 setup reads (the repo's config; the form in the repo, then the org), the comments, then the writes.
    // The `labeled` delivery that arrived with `opened` then costs one read of the issue.
    expect(standin.describeCalls(opened).sort()).toEqual(
      [
        "GET /repos/{owner}/{repo}/issues/{issue_number} 200",
        "GET /repos/{owner}/{repo}/issues/{issue_number} 200",
        "GET /repos/{owner}/{repo}/contents/{path} 200",
        "GET /repos/{owner}/{repo}/contents/{path} 404",
        "GET /repos/{owner}/{repo}/contents/{path} 404",
        "GET /repos/{owner}/{repo}/issues/{issue_number}/comments 200",
        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments 201",
        "GET /repos/{owner}/{repo}/labels 200",
        ...Array<string>(8).fill("POST /repos/{owner}/{repo}/labels 201"),
        "POST /repos/{owner}/{repo}/issues/{issue_number}/labels 200",
      ].sort(),
    );
    const firstCommentId = comments[0]!.id;

    // 2. The author fixes it: the same comment is updated, the labels swap in one GraphQL request
    // (DESIGN.md: a changed result costs at most 3 calls), the metrics show. Becoming ready also looks up similar
    // past postmortems: the installation's first lookup on this replica reads its index (the repository list, then
    // configs, issues and forms in one GraphQL request each); later ones cost nothing (test/e2e/similar.e2e.test.ts).
    mark = standin.mark();
    await standin.editIssue(OWNER, REPO, issue.number, { body: body("complete") }, "alice");
    await settle(standin, [app]);
    expect(standin.describeCalls(standin.apiCallsSince(mark))).toEqual([
      "GET /repos/{owner}/{repo}/issues/{issue_number} 200",
      "GET /installation/repositories 200",
      "POST /graphql 200",
      "POST /graphql 200",
      "POST /graphql 200",
      "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} 200",
      "POST /graphql 200",
    ]);
    // The swap came back as the webhooks a person's label change sends, from the app's bot.
    const swapped = standin.deliveriesSince(mark).filter((d) => d.event === "issues" && (d.action === "labeled" || d.action === "unlabeled"));
    expect(swapped.map((d) => d.action).sort()).toEqual(["labeled", "unlabeled"]);
    expect(swapped.map((d) => (d.payload as { sender?: { type?: string } }).sender?.type)).toEqual(["Bot", "Bot"]);
    comments = standin.comments(OWNER, REPO, issue.number);
    expect(comments.map((c) => c.id)).toEqual([firstCommentId]);
    expect(comments[0]!.body).toContain("✅ ready");
    expect(comments[0]!.body).toContain("| TTD | 12m | time to detect = detected − impact started |");
    expect(comments[0]!.body).toContain("| TTR | 1h 38m | time to recover = recovered − impact started |");
    expect(comments[0]!.body).toContain("| TTM | 47m | time to mitigate = mitigated − impact started |");
    expect(standin.issue(OWNER, REPO, issue.number)!.labels.map((l) => l.name).sort()).toEqual(["postmortem", "postmortem: ready"]);

    // 3. An edit that changes nothing the check shows: one read, zero writes.
    mark = standin.mark();
    const editedAgain = body("complete").replace("### Summary\n\n", "### Summary\n\nTypo fixed. ");
    await standin.editIssue(OWNER, REPO, issue.number, { body: editedAgain }, "alice");
    await settle(standin, [app]);
    expect(standin.describeCalls(standin.apiCallsSince(mark))).toEqual(["GET /repos/{owner}/{repo}/issues/{issue_number} 200"]);

    // 4. GitHub redelivers the fixing edit (stale body in its payload): the delivery id was seen, so nothing at all.
    const fixingEdit = standin.deliveriesSince({ calls: 0, deliveries: 0 }).find((d) => d.event === "issues" && d.action === "edited");
    mark = standin.mark();
    await standin.redeliver(fixingEdit!.id);
    await settle(standin, [app]);
    expect(standin.apiCallsSince(mark)).toEqual([]);

    // The app's own writes came back as webhooks and were ignored: no API call was made for them.
    for (const d of standin.deliveries.filter((d) => d.payload && (d.payload as { sender?: { type?: string } }).sender?.type === "Bot")) {
      expect(standin.callsForDelivery(d.id)).toEqual([]);
    }
    expect(standin.refused).toEqual([]);
    expect(app.errorLogs()).toEqual([]);
  }, 60_000);

  it("shows the webhooks it handled and the API calls it made on /metrics", async () => {
    const { app } = stack;
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    expect(value(/^postmortem_bot_webhooks_received_total\{event="issues",action="opened"\} (\d+)$/m)).toBeGreaterThanOrEqual(1);
    expect(value(/^postmortem_bot_webhooks_received_total\{event="issues",action="edited"\} (\d+)$/m)).toBeGreaterThanOrEqual(2);
    expect(value(/^postmortem_bot_github_api_calls_total\{route="GET \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}",status="200"\} (\d+)$/m)).toBeGreaterThanOrEqual(3);
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as { status: string; inFlight: number };
    expect(health).toEqual({ status: "ok", inFlight: 0 });
  });

  it("rejects a webhook with a bad signature and does nothing", async () => {
    const { standin, app } = stack;
    const mark = standin.mark();
    const response = await standin.sendWebhook("issues", { action: "opened" }, { signature: "sha256=" + "0".repeat(64) });
    expect(response.status).toBe(400);
    await settle(standin, [app]);
    expect(standin.apiCallsSince(mark)).toEqual([]);
  });
});
