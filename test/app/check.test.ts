import webhookExamples from "@octokit/webhooks-examples";
import type { IssuesEvent, IssuesLabeledEvent } from "@octokit/webhooks-types";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { STATUS_MARKER } from "../../src/postmortem/status.js";
import { body as fixtureBody, fixture, TEAMS_CONFIG_TEXT } from "../helpers/fixtures.js";
import { API, createTestApp, INSTALLATION_ID, mockAppAuth, mockSetupReads, mockSetupReadsWithEnglishForm, useTestApp } from "../helpers/app.js";

type Example = { name: string; examples: IssuesEvent[] };
const issuesExamples = (webhookExamples as unknown as Example[]).find((e) => e.name === "issues")!.examples;
const example = <T extends IssuesEvent>(action: string): T => structuredClone(issuesExamples.find((e) => e.action === action)) as T;

const OWNER = "Codertocat";
const REPO = "Hello-World";
const REPO_PATH = `/repos/${OWNER}/${REPO}`;
const ISSUE = 1;

/** A real `issues` payload from @octokit/webhooks-examples, pointed at our installation. */
function payload(action: "opened" | "edited" | "reopened" | "labeled", changes?: object): IssuesEvent {
  const p = example(action) as IssuesEvent & { installation: { id: number; node_id: string } };
  p.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  p.issue.number = ISSUE;
  if (action === "edited") (p as { changes: object }).changes = changes ?? { body: { from: "old" } };
  return p;
}

/** A label's GraphQL node id, as the REST API returns it beside the name. */
const labelNodeId = (name: string) => `LA_${Buffer.from(name).toString("base64url")}`;
const ISSUE_NODE_ID = "I_kwDOcheckout1";

const issueState = (body: string, labels: string[]) => ({
  number: ISSUE,
  node_id: ISSUE_NODE_ID,
  title: "[Postmortem] Checkout outage",
  body,
  state: "open",
  labels: labels.map((name, i) => ({ id: i + 1, node_id: labelNodeId(name), name, color: "ededed" })),
});

const MANAGED_LABELS = ["postmortem: incomplete", "postmortem: ready", "postmortem: published", "postmortem: actions done", "recommended", "recommended: lessons", "recommended: architecture", "recommended: response"];

const ctx = useTestApp();
let delivery = 0;
const receive = (name: "issues" | "push" | "issue_comment", p: object) => ctx.app.probot.receive({ id: `d-${++delivery}`, name, payload: p } as never);

/**
 * The repository's config names the fixtures' teams; no form anywhere, so the
 * built-in one (3 reads on a cold cache).
 */
const mockNoSetup = (scope: nock.Scope) => mockSetupReads(scope, TEAMS_CONFIG_TEXT);

describe("the check", () => {
  it("comments the problems of an incomplete postmortem and labels it, creating the labels", async () => {
    let comment = "";
    const labelsCreated: string[] = [];
    const scope = mockNoSetup(mockAppAuth().get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(fixtureBody("incomplete"), ["postmortem"])))
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 77 })
      .get(`${REPO_PATH}/labels`).query({ per_page: 100 }).reply(200, [{ name: "postmortem" }])
      .post(`${REPO_PATH}/labels`, (b: { name: string; color: string; description: string }) => (labelsCreated.push(b.name), /^[0-9a-f]{6}$/.test(b.color) && b.description.length > 0)).times(8).reply(201, {})
      .post(`${REPO_PATH}/issues/${ISSUE}/labels`, { labels: ["postmortem: incomplete"] }).reply(200, []);

    await receive("issues", payload("opened"));

    expect(scope.isDone()).toBe(true);
    expect(comment.startsWith(STATUS_MARKER)).toBe(true);
    expect(comment).toContain("❌ 8 problems to fix");
    expect(comment).toContain("**Severity** is required but empty.");
    expect(labelsCreated).toEqual([
      "postmortem: incomplete",
      "postmortem: ready",
      "postmortem: published",
      "postmortem: actions done",
      "recommended",
      "recommended: lessons",
      "recommended: architecture",
      "recommended: response",
    ]);
  });

  it("in Japanese (language: ja): the comment, and the labels it creates have Japanese descriptions and the configured names", async () => {
    let comment = "";
    const labelsCreated: { name: string; description: string }[] = [];
    mockSetupReadsWithEnglishForm(mockAppAuth().get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(fixtureBody("incomplete"), ["postmortem"])), `${TEAMS_CONFIG_TEXT}language: ja\n`)
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 77 })
      .get(`${REPO_PATH}/labels`).query({ per_page: 100 }).reply(200, [{ name: "postmortem" }])
      .post(`${REPO_PATH}/labels`, (b: { name: string; description: string }) => (labelsCreated.push({ name: b.name, description: b.description }), true)).times(8).reply(201, {})
      .post(`${REPO_PATH}/issues/${ISSUE}/labels`, { labels: ["postmortem: incomplete"] }).reply(200, []);
    await receive("issues", payload("opened"));

    expect(comment).toContain("### ポストモーテムのチェック: ❌ 修正が必要な問題が8件あります");
    expect(comment).toContain("| TTR | 7分 |");
    expect(labelsCreated).toEqual([
      { name: "postmortem: incomplete", description: "ポストモーテムに修正が必要な問題があります（ステータスコメントを参照してください）" },
      { name: "postmortem: ready", description: "ポストモーテムが完成し、レビューできる状態です" },
      { name: "postmortem: published", description: "レビュー済みです。アクションアイテムはフォローアップとして起票されています" },
      { name: "postmortem: actions done", description: "このポストモーテムのフォローアップはすべてクローズされました" },
      { name: "recommended", description: "オンボーディングで読むのにおすすめのポストモーテムです" },
      { name: "recommended: lessons", description: "学びが多い" },
      { name: "recommended: architecture", description: "現在のアーキテクチャの理解に役立つ" },
      { name: "recommended: response", description: "障害対応の進め方の参考になる" },
    ]);
  });

  it("in Japanese: a broken form is reported in the language of the config that could be read", async () => {
    let comment = "";
    mockAppAuth()
      .get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(fixtureBody("complete"), ["postmortem"]))
      .get(`${REPO_PATH}/contents/.github%2Fpostmortem.yml`).reply(200, "language: ja\n", { "content-type": "text/plain" })
      .get(`${REPO_PATH}/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml`).reply(200, fixture("forms/broken-duplicate-id.yml"), { "content-type": "text/plain" })
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 9 });
    await receive("issues", payload("opened"));
    expect(comment).toContain("### ポストモーテムのチェック: ⚠️ チェックできません\n\nこのリポジトリのポストモーテムの設定に誤りがあるため、何もチェックしていません。下のファイルを修正してください。");
    expect(comment).toContain(`- \`${OWNER}/${REPO}:.github/ISSUE_TEMPLATE/postmortem.yml\``);
    expect(comment).not.toContain("cannot check this postmortem");
  });

  it("costs one call for an unchanged re-edit, three when the result changes, and swaps the labels in one request", async () => {
    const incomplete = fixtureBody("incomplete");
    let comment = "";
    mockNoSetup(mockAppAuth().get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(incomplete, ["postmortem"])))
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 77 })
      .get(`${REPO_PATH}/labels`).query({ per_page: 100 }).reply(200, MANAGED_LABELS.map((name) => ({ name, node_id: labelNodeId(name) })))
      .post(`${REPO_PATH}/issues/${ISSUE}/labels`).reply(200, []);
    await receive("issues", payload("opened"));
    expect(nock.pendingMocks()).toEqual([]);

    // Same body again (a redelivered or no-op edit): one read, no writes.
    const unchanged = nock(API).get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(incomplete, ["postmortem", "postmortem: incomplete"]));
    await receive("issues", payload("edited"));
    expect(unchanged.isDone()).toBe(true);

    // Fixed: read, update the comment in place, and swap the labels by adding one and removing the
    // other in one GraphQL request (never a whole-set replace, which would drop a label a person
    // added since the read).
    let updated = "";
    let swap: { query: string; variables: Record<string, unknown> } | undefined;
    const fixed = nock(API)
      .get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(fixtureBody("complete"), ["postmortem", "postmortem: incomplete"]))
      .patch(`${REPO_PATH}/issues/comments/77`, (b: { body: string }) => ((updated = b.body), true)).reply(200, {})
      .post("/graphql", (b: typeof swap) => ((swap = b), true)).reply(200, { data: { add: { clientMutationId: null }, remove: { clientMutationId: null } } });
    await receive("issues", payload("edited"));
    expect(fixed.isDone()).toBe(true);
    expect(swap?.query).toMatch(/addLabelsToLabelable[\s\S]*removeLabelsFromLabelable/);
    expect(swap?.variables).toEqual({ issue: ISSUE_NODE_ID, add: [labelNodeId("postmortem: ready")], remove: [labelNodeId("postmortem: incomplete")] });
    expect(updated).not.toBe(comment);
    expect(updated).toContain("✅ ready");
    expect(updated).toContain("| TTD | 12m | time to detect = detected − impact started |");
    expect(updated).toContain("| TTR | 1h 38m |");
    expect(updated).toContain("| TTM | 47m |");
  });

  it("does not re-check an edit that did not touch the body (it only reads the cached setup)", async () => {
    mockNoSetup(mockAppAuth({ identity: false }));
    await receive("issues", payload("edited", { title: { from: "old title" } }));
    expect(nock.pendingMocks()).toEqual([]);
    // Warm: no call at all.
    await receive("issues", payload("edited", { title: { from: "older title" } }));
  });

  it("finds its existing status comment among others and leaves it alone when nothing changed", async () => {
    const body = fixtureBody("complete");
    // First pass to learn the exact text the check produces.
    let text = "";
    mockNoSetup(mockAppAuth().get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(body, ["postmortem", "postmortem: ready"])))
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`, (b: { body: string }) => ((text = b.body), true)).reply(201, { id: 5 });
    await receive("issues", payload("reopened"));

    // A fresh process: the comment is found by marker and author; a forged one by a person is ignored.
    ctx.app = createTestApp();
    mockNoSetup(mockAppAuth().get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(body, ["postmortem", "postmortem: ready"])))
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 })
      .reply(200, [
        { id: 3, body: `${STATUS_MARKER}\nforged`, user: { login: "mallory", type: "User" } },
        { id: 5, body: text, user: { login: "postmortem-bot[bot]", type: "Bot" } },
      ]);
    await receive("issues", payload("reopened"));
  });

  it("deletes duplicate status comments left by an older version", async () => {
    const body = fixtureBody("complete");
    mockNoSetup(mockAppAuth().get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(body, ["postmortem", "postmortem: ready"])))
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 })
      .reply(200, [
        { id: 5, body: `${STATUS_MARKER}\nold`, user: { login: "postmortem-bot[bot]", type: "Bot" } },
        { id: 6, body: `${STATUS_MARKER}\nolder copy`, user: { login: "postmortem-bot[bot]", type: "Bot" } },
      ])
      .delete(`${REPO_PATH}/issues/comments/6`).reply(204)
      .patch(`${REPO_PATH}/issues/comments/5`).reply(200, {});
    await receive("issues", payload("reopened"));
  });

  it("runs on the postmortem label and ignores other labels", async () => {
    const labeled = (name: string) => {
      const p = payload("labeled") as IssuesLabeledEvent;
      p.label = { id: 9, node_id: "x", url: "", name, color: "ededed", default: false, description: null };
      return p;
    };
    // Another label: only the (cold) config read, to learn the postmortem label's name.
    mockNoSetup(mockAppAuth({ identity: false }));
    await receive("issues", labeled("bug"));
    expect(nock.pendingMocks()).toEqual([]);

    nock(API)
      .get("/app").reply(200, { slug: "postmortem-bot" })
      .get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(fixtureBody("complete"), ["postmortem"]))
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`).reply(201, { id: 8 })
      .get(`${REPO_PATH}/labels`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/labels`).times(8).reply(201, {})
      .post(`${REPO_PATH}/issues/${ISSUE}/labels`, { labels: ["postmortem: ready"] }).reply(200, []);
    await receive("issues", labeled("postmortem"));
  });

  it("skips issues without the postmortem label, and pull requests", async () => {
    mockNoSetup(mockAppAuth({ identity: false }).get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState("anything", ["bug"])));
    await receive("issues", payload("opened"));
    expect(nock.pendingMocks()).toEqual([]);
    nock(API).get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, { ...issueState("x", ["postmortem"]), pull_request: { url: "" } });
    await receive("issues", payload("reopened"));
  });

  it("reads the labels and body from the API, not from a stale payload", async () => {
    const p = payload("opened");
    p.issue.body = fixtureBody("complete");
    p.issue.labels = [{ id: 1, node_id: "x", url: "", name: "postmortem", color: "ededed", default: false, description: null }];
    // The issue is no longer a postmortem by the time the event is handled.
    mockNoSetup(mockAppAuth({ identity: false }).get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(fixtureBody("complete"), [])));
    await receive("issues", p);
  });

  it("skips an issue deleted since the event was sent", async () => {
    mockAppAuth({ identity: false }).get(`${REPO_PATH}/issues/${ISSUE}`).reply(404, { message: "Not Found" });
    await receive("issues", payload("opened"));
  });

  it("uses the repository's config and form, and reports a broken config once with file and line", async () => {
    let comment = "";
    mockAppAuth()
      .get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(fixtureBody("complete"), ["postmortem"]))
      .get(`${REPO_PATH}/contents/.github%2Fpostmortem.yml`).reply(200, fixture("configs/wrong-type.yml"), { "content-type": "text/plain" })
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 9 });
    await receive("issues", payload("opened"));
    expect(comment).toContain("cannot check this postmortem");
    expect(comment).toContain(`\`${OWNER}/${REPO}:.github/postmortem.yml\` line 3: 'severities' must be an array`);

    // The same broken config again: one read of the issue, nothing written, no retry storm.
    nock(API).get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(fixtureBody("complete"), ["postmortem"]));
    await receive("issues", payload("reopened"));
  });

  it("validates against a third-party form mapped through the repository's config", async () => {
    let comment = "";
    mockAppAuth()
      .get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(fixtureBody("acme-complete"), ["postmortem"]))
      .get(`${REPO_PATH}/contents/.github%2Fpostmortem.yml`).reply(200, fixture("forms/acme-incident.config.yml"), { "content-type": "text/plain" })
      .get(`${REPO_PATH}/contents/.github%2FISSUE_TEMPLATE%2Facme-incident.yml`).reply(200, fixture("forms/acme-incident.yml"), { "content-type": "text/plain" })
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 9 })
      .get(`${REPO_PATH}/labels`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/labels`).times(8).reply(201, {})
      .post(`${REPO_PATH}/issues/${ISSUE}/labels`, { labels: ["postmortem: ready"] }).reply(200, []);
    await receive("issues", payload("opened"));
    expect(comment).toContain("| TTD | 19m |");
    expect(comment).toContain("read in Europe/Berlin");
  });

  it("re-reads config and form after a push that touches .github/", async () => {
    const body = fixtureBody("complete");
    mockNoSetup(mockAppAuth().get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(body, ["postmortem", "postmortem: ready"])))
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`).reply(201, { id: 5 });
    await receive("issues", payload("reopened"));

    const push = {
      ref: "refs/heads/main",
      repository: { name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: "main", owner: { login: OWNER } },
      commits: [{ added: [], modified: [".github/postmortem.yml"], removed: [] }],
      installation: { id: INSTALLATION_ID },
      sender: { login: "alice", type: "User" },
    };
    await receive("push", push);
    // The config now sets a zone, so the status comment changes.
    nock(API)
      .get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(body, ["postmortem", "postmortem: ready"]))
      .get(`${REPO_PATH}/contents/.github%2Fpostmortem.yml`).reply(200, `${TEAMS_CONFIG_TEXT}\ntimezone: Asia/Tokyo\n`, { "content-type": "text/plain" })
      .get(`${REPO_PATH}/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml`).reply(404)
      .get(`/repos/${OWNER}/.github/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml`).reply(404)
      .patch(`${REPO_PATH}/issues/comments/5`, (b: { body: string }) => b.body.includes("read in Asia/Tokyo")).reply(200, {});
    await receive("issues", payload("reopened"));

    // A push that does not touch .github/ keeps the cache: the next event reads only the issue.
    await receive("push", { ...push, commits: [{ added: ["src/a.ts"], modified: [], removed: [] }] });
    nock(API).get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(body, ["postmortem", "postmortem: ready"]));
    await receive("issues", payload("reopened"));
  });
});

describe("loop guard, de-duplication and serialization", () => {
  it("ignores events caused by the app's own bot, but not other bots", async () => {
    const own = payload("opened");
    own.sender = { ...own.sender, login: "postmortem-bot[bot]", type: "Bot" };
    nock(API).get("/app").reply(200, { slug: "postmortem-bot" });
    await receive("issues", own);
    expect(nock.pendingMocks()).toEqual([]);

    const other = payload("opened");
    other.sender = { ...other.sender, login: "dependabot[bot]", type: "Bot" };
    mockNoSetup(nock(API).post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, { token: "ghs_test" }))
      .get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState("x", ["bug"]));
    await receive("issues", other);
  });

  it("handles a redelivered delivery id once", async () => {
    mockNoSetup(mockAppAuth({ identity: false }).get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState("x", ["bug"])));
    const p = payload("opened");
    await ctx.app.probot.receive({ id: "same", name: "issues", payload: p } as never);
    await ctx.app.probot.receive({ id: "same", name: "issues", payload: p } as never);
  });

  it("retries a delivery whose handling failed when it is redelivered", async () => {
    mockAppAuth({ identity: false }).get(`${REPO_PATH}/issues/${ISSUE}`).reply(500, { message: "boom" });
    const p = payload("opened");
    await expect(ctx.app.probot.receive({ id: "flaky", name: "issues", payload: p } as never)).rejects.toThrow();
    mockNoSetup(nock(API).get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState("x", ["bug"])));
    await ctx.app.probot.receive({ id: "flaky", name: "issues", payload: p } as never);
  });

  it("serializes concurrent events for one issue, so the comment is created once", async () => {
    const body = fixtureBody("complete");
    let created = 0;
    mockNoSetup(mockAppAuth())
      .get(`${REPO_PATH}/issues/${ISSUE}`).times(3).reply(200, issueState(body, ["postmortem", "postmortem: ready"]))
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`, () => (created++, true)).reply(201, { id: 5 });
    await Promise.all([receive("issues", payload("opened")), receive("issues", payload("reopened")), receive("issues", payload("edited"))]);
    expect(created).toBe(1);
  });

  it("collapses edits that pile up for one issue into one more run", async () => {
    const body = fixtureBody("complete");
    let reads = 0;
    mockNoSetup(mockAppAuth())
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`).reply(201, { id: 5 });
    const issue = nock(API).persist().get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, () => (reads++, issueState(body, ["postmortem", "postmortem: ready"])));
    // Five edits arrive together: one run, plus at most one more for those that came while it ran.
    await Promise.all(Array.from({ length: 5 }, () => receive("issues", payload("edited"))));
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(2);
    issue.persist(false);
    nock.cleanAll();
  });

  it("forgets its cached comment when a person deletes it, and recreates it", async () => {
    const body = fixtureBody("complete");
    mockNoSetup(mockAppAuth().get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(body, ["postmortem", "postmortem: ready"])))
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`).reply(201, { id: 5 });
    await receive("issues", payload("opened"));

    const deleted = {
      action: "deleted",
      comment: { id: 5, body: `${STATUS_MARKER}\n...`, user: { login: "postmortem-bot[bot]", type: "Bot" } },
      issue: { number: ISSUE },
      repository: { name: REPO, owner: { login: OWNER } },
      installation: { id: INSTALLATION_ID },
      sender: { login: "alice", type: "User" },
    };
    await receive("issue_comment", deleted);
    nock(API)
      .get(`${REPO_PATH}/issues/${ISSUE}`).reply(200, issueState(body, ["postmortem", "postmortem: ready"]))
      .get(`${REPO_PATH}/issues/${ISSUE}/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/${ISSUE}/comments`).reply(201, { id: 6 });
    await receive("issues", payload("reopened"));
  });
});
