import webhookExamples from "@octokit/webhooks-examples";
import type { IssuesEvent } from "@octokit/webhooks-types";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { readFollowUpMarker, readFollowUps } from "../../src/postmortem/follow-ups.js";
import { readState, STATUS_MARKER } from "../../src/postmortem/status.js";
import { API, createTestApp, INSTALLATION_ID, mockAppAuth, mockSetupReads, mockSetupReadsWithEnglishForm, useTestApp } from "../helpers/app.js";
import { body as fixtureBody } from "../helpers/fixtures.js";

type Example = { name: string; examples: IssuesEvent[] };
const issuesExamples = (webhookExamples as unknown as Example[]).find((e) => e.name === "issues")!.examples;

const OWNER = "Codertocat";
const REPO_PATH = `/repos/${OWNER}/Hello-World`;
const CONFIG = `teams:
  backend: { repo: ${OWNER}/backend, labels: [backend] }
  sre: { repo: ${OWNER}/sre, handles: ["@acme/sre"], assignees: [kenji] }
`;
const BOT = { login: "postmortem-bot[bot]", type: "Bot" };

function payload(action: string, extra: Record<string, unknown> = {}): IssuesEvent {
  const base = structuredClone(issuesExamples.find((e) => e.action === action) ?? issuesExamples.find((e) => e.action === "opened")!);
  return { ...base, action, installation: { id: INSTALLATION_ID, node_id: "x" }, ...extra } as unknown as IssuesEvent;
}

const labeled = (name: string) => {
  const p = payload("labeled") as IssuesEvent & { label: object; issue: { number: number } };
  p.issue.number = 1;
  p.label = { id: 9, node_id: "x", url: "", name, color: "ededed", default: false, description: null };
  return p;
};

const issue = (body: string, labels: string[], extra: object = {}) => ({
  number: 1,
  title: "[Postmortem] Checkout outage",
  body,
  state: "open",
  labels: labels.map((name) => ({ name })),
  ...extra,
});

let delivery = 0;
const receive = (name: string, p: object) => ctx.app.probot.receive({ id: `f-${++delivery}`, name, payload: p } as never);

const mockSetup = (scope: nock.Scope) => mockSetupReads(scope, CONFIG);

const ctx = useTestApp();

describe("publishing and tracking follow-ups", () => {
  it("files one issue per item in its team's repository, records each at once, links back, and tracks closing", async () => {
    const body = fixtureBody("complete");
    const labels = ["postmortem", "postmortem: ready", "postmortem: published"];
    const comments: string[] = [];
    const created: { repo: string; body: Record<string, unknown> }[] = [];
    let linkedBody = "";
    const scope = mockSetup(mockAppAuth())
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(body, labels))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .get(REPO_PATH).reply(200, { private: false })
      .get(`${REPO_PATH}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "write" })
      .get(`/repos/${OWNER}/backend`).reply(200, { private: false })
      .get(`/repos/${OWNER}/sre`).reply(200, { private: false })
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => (comments.push(b.body), true)).reply(201, { id: 50 })
      .post(`/repos/${OWNER}/backend/issues`, (b: Record<string, unknown>) => (created.push({ repo: "backend", body: b }), true)).reply(201, { number: 11 })
      .patch(`${REPO_PATH}/issues/comments/50`, (b: { body: string }) => (comments.push(b.body), true)).reply(200, {})
      .post(`/repos/${OWNER}/sre/issues`, (b: Record<string, unknown>) => (created.push({ repo: "sre", body: b }), true)).reply(201, { number: 5 })
      .patch(`${REPO_PATH}/issues/comments/50`, (b: { body: string }) => (comments.push(b.body), true)).reply(200, {})
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(body, labels))
      .patch(`${REPO_PATH}/issues/1`, (b: { body: string }) => ((linkedBody = b.body), true)).reply(200, {});

    await receive("issues", labeled("postmortem: published"));
    expect(scope.isDone()).toBe(true);

    // Each creation was recorded in the state before the next one: the intent, then one record per issue.
    const states = comments.map((c) => readFollowUps(readState(c)));
    expect(states.map((s) => [s.filingSince !== undefined, Object.keys(s.items).length])).toEqual([
      [true, 0],
      [true, 1],
      [false, 2],
    ]);
    expect(created.map((c) => [c.repo, c.body.title, c.body.labels, c.body.assignees])).toEqual([
      ["backend", expect.stringMatching(/^Alert on checkout error rate/), ["postmortem follow-up", "detect", "backend"], []],
      ["sre", expect.stringMatching(/^Add downstream services/), ["postmortem follow-up", "process"], ["kenji"]],
    ]);
    expect(created[0]!.body.body).toContain(`| Postmortem | ${OWNER}/Hello-World#1 |`);
    expect(created[0]!.body.body).toContain("| Due | 2026-12-15 |");
    expect(created[0]!.body.body).toContain("| Severity | SEV2 |");
    // The item without `due:` is due 30 business days (SEV2) after publishing on Friday 2026-11-27:
    // Nov 30-Dec 4 (5), Dec 7-11 (10), 14-18 (15), 21-25 (20), Dec 28-Jan 1 (25), Jan 4-8 (30).
    expect(created[1]!.body.body).toContain("| Due | 2027-01-08 |");
    // The links go beside the items; the item for another organization is refused with an explanation.
    expect(linkedBody).toContain("type: detect due: 2026-12-15 Codertocat/backend#11\r\n");
    expect(linkedBody).toContain("owner: @acme/sre type: process Codertocat/sre#5\r\n");
    expect(linkedBody.length).toBe(body.length + " Codertocat/backend#11".length + " Codertocat/sre#5".length);
    const last = comments.at(-1)!;
    expect(last).toContain("#### Follow-ups: 0 of 2 done");
    expect(last).toContain("- [ ] Codertocat/backend#11 — Alert on checkout error rate");
    expect(last).toContain("Item 3 (`Route payment provider calls");
    expect(last).toContain("belongs to another owner than this postmortem");

    // The same publish delivered again: the postmortem is read, nothing is filed twice.
    nock(API).get(`${REPO_PATH}/issues/1`).reply(200, issue(linkedBody, labels));
    await receive("issues", labeled("postmortem: published"));
    expect(nock.pendingMocks()).toEqual([]);

    // A follow-up is closed: its checkbox is ticked and the progress moves.
    const followUp = (number: number, repo: string, key: string) => ({
      number,
      user: BOT,
      body: `x\n<!-- postmortem-bot:follow-up {"parent":"${OWNER}/Hello-World#1","key":"${key}"} -->`,
    });
    const keys = Object.keys(states.at(-1)!.items);
    const closed = (number: number, repo: string, key: string) =>
      payload("closed", {
        issue: followUp(number, repo, key),
        repository: { name: repo, full_name: `${OWNER}/${repo}`, owner: { login: OWNER } },
        sender: { login: "alice", type: "User" },
      });
    let ticked = "";
    nock(API)
      .get(`/repos/${OWNER}/backend/issues/11`).reply(200, { number: 11, state: "closed", state_reason: "completed" })
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(linkedBody, labels))
      .patch(`${REPO_PATH}/issues/comments/50`, (b: { body: string }) => b.body.includes("#### Follow-ups: 1 of 2 done")).reply(200, {})
      .patch(`${REPO_PATH}/issues/1`, (b: { body: string }) => ((ticked = b.body), true)).reply(200, {});
    await receive("issues", closed(11, "backend", keys[0]!));
    expect(ticked).toContain("- [x] Alert on checkout error rate");
    expect(ticked).toContain("- [ ] Add downstream services");

    // The last one closes as not planned: `actions done`, counted apart.
    nock(API)
      .get(`/repos/${OWNER}/sre/issues/5`).reply(200, { number: 5, state: "closed", state_reason: "not_planned" })
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(ticked, labels))
      .patch(`${REPO_PATH}/issues/comments/50`, (b: { body: string }) => b.body.includes("1 of 2 done") && b.body.includes("1 closed as not planned")).reply(200, {})
      .get(`${REPO_PATH}/labels`).query({ per_page: 100 }).reply(200, ["postmortem: actions done", "postmortem: ready", "postmortem: incomplete", "postmortem: published", "recommended", "recommended: lessons", "recommended: architecture", "recommended: response"].map((name) => ({ name })))
      .patch(`${REPO_PATH}/issues/1`, (b: { body: string }) => b.body.includes("- [x] Add downstream services")).reply(200, {})
      .post(`${REPO_PATH}/issues/1/labels`, { labels: ["postmortem: actions done"] }).reply(200, []);
    await receive("issues", closed(5, "sre", keys[1]!));
  });

  it("refuses to publish an incomplete postmortem, explains, and takes the label off", async () => {
    let comment = "";
    mockSetup(mockAppAuth())
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(fixtureBody("incomplete"), ["postmortem", "postmortem: incomplete", "postmortem: published"]))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 50 })
      .delete(`${REPO_PATH}/issues/1/labels/postmortem%3A%20published`).reply(200, []);
    await receive("issues", labeled("postmortem: published"));
    expect(comment).toContain("Publishing was refused: this postmortem still has 8 problems");
    expect(readFollowUps(readState(comment)).published).toBe(false);
  });

  it("with follow-ups off, publishes a postmortem whose items name no owner, and files nothing", async () => {
    const body = fixtureBody("complete").replace(/### Action items\n\n[\s\S]*?\n\n### /, "### Action items\n\n- Alert on checkout errors\n1. Add payments to the capacity checklist\n\n### ");
    let comment = "";
    mockSetupReads(mockAppAuth(), `${CONFIG}follow_ups: { enabled: false }\n`)
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(body, ["postmortem", "postmortem: ready", "postmortem: published"]))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .get(`${REPO_PATH}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "write" })
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 50 });
    await receive("issues", labeled("postmortem: published"));
    expect(comment).not.toContain("has no owner");
    expect(readFollowUps(readState(comment))).toEqual({ published: true, items: {} });
  });

  it("resumes a publish that stopped after creating an issue, without filing it twice", async () => {
    const body = fixtureBody("complete");
    const labels = ["postmortem", "postmortem: ready", "postmortem: published"];
    // The state says filing began, and nothing was recorded: the process died after creating the first issue.
    const state = { v: 1, status: "ready", followUps: { published: true, filingSince: "2026-11-26T10:00:00.000Z", items: {} } };
    const comment = `${STATUS_MARKER}\n...\n<!-- postmortem-bot:state ${JSON.stringify(state)} -->`;
    let keyOfFirst = "";
    const created: string[] = [];
    mockSetup(mockAppAuth())
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(body, labels))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [{ id: 50, body: comment, user: BOT }])
      .get(REPO_PATH).reply(200, { private: false })
      .get(`${REPO_PATH}/collaborators/alice/permission`).reply(200, { permission: "write", role_name: "write" })
      .get(`/repos/${OWNER}/backend`).reply(200, { private: false })
      .get(`/repos/${OWNER}/sre`).reply(200, { private: false })
      .patch(`${REPO_PATH}/issues/comments/50`, (b: { body: string }) => {
        keyOfFirst ||= Object.keys(readFollowUps(readState(b.body)).items)[0] ?? "";
        return true;
      })
      .times(3)
      .reply(200, {})
      .get(`/repos/${OWNER}/backend/issues`).query(true).reply(200, () => [
        { number: 11, state: "open", user: BOT, body: `<!-- postmortem-bot:follow-up {"parent":"${OWNER}/Hello-World#1","key":"${firstKey(body)}"} -->` },
        { number: 12, state: "open", user: { login: "mallory", type: "User" }, body: `<!-- postmortem-bot:follow-up {"parent":"${OWNER}/Hello-World#1","key":"other"} -->` },
      ])
      .get(`/repos/${OWNER}/sre/issues`).query(true).reply(200, [])
      .post(`/repos/${OWNER}/sre/issues`, (b: { title: string }) => (created.push(b.title), true)).reply(201, { number: 6 })
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(body, labels))
      .patch(`${REPO_PATH}/issues/1`, (b: { body: string }) => b.body.includes("Codertocat/backend#11") && b.body.includes("Codertocat/sre#6")).reply(200, {});
    await receive("issues", payload("edited", { issue: { number: 1 }, changes: { body: { from: "" } }, sender: { login: "alice", type: "User" } }));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/^Add downstream services/);
  });

  it("refuses to copy a private postmortem into a public repository", async () => {
    let comment = "";
    mockSetup(mockAppAuth())
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(fixtureBody("complete"), ["postmortem", "postmortem: ready", "postmortem: published"]))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .get(REPO_PATH).reply(200, { private: true })
      .get(`${REPO_PATH}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "write" })
      .get(`/repos/${OWNER}/backend`).reply(200, { private: false })
      .get(`/repos/${OWNER}/sre`).reply(404, { message: "Not Found" })
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 50 });
    await receive("issues", labeled("postmortem: published"));
    expect(comment).toContain(`this postmortem is private and \`${OWNER}/backend\` is public`);
    expect(comment).toContain(`\`${OWNER}/sre\` does not exist or the app is not installed on it`);
  });
});

describe("publishing in Japanese (language: ja)", () => {
  const CONFIG_JA = `${CONFIG}language: ja\n`;
  /** Words of English prose, outside code spans and the item texts the comment quotes. */
  const ENGLISH = /\b(the|is|are|not|and|to|of|was|were|be|for|with|this|it|or|by|has|done|open|filed|publish(ing)?|refused|problems?|fix)\b/i;
  const prose = (text: string) => text.split("\n").filter((line) => !line.startsWith("<!-- postmortem-bot:")).join("\n").replace(/`[^`\n]*`/g, " ");

  it("files follow-ups with Japanese bodies and explains in Japanese why an item was not filed", async () => {
    const body = fixtureBody("complete");
    const labels = ["postmortem", "postmortem: ready", "postmortem: published"];
    const comments: string[] = [];
    const created: Record<string, unknown>[] = [];
    mockSetupReadsWithEnglishForm(mockAppAuth(), CONFIG_JA)
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(body, labels))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .get(REPO_PATH).reply(200, { private: false })
      .get(`${REPO_PATH}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "write" })
      .get(`/repos/${OWNER}/backend`).reply(200, { private: false })
      .get(`/repos/${OWNER}/sre`).reply(200, { private: false })
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => (comments.push(b.body), true)).reply(201, { id: 50 })
      .post(`/repos/${OWNER}/backend/issues`, (b: Record<string, unknown>) => (created.push(b), true)).reply(201, { number: 11 })
      .patch(`${REPO_PATH}/issues/comments/50`, (b: { body: string }) => (comments.push(b.body), true)).reply(200, {})
      .post(`/repos/${OWNER}/sre/issues`, (b: Record<string, unknown>) => (created.push(b), true)).reply(201, { number: 5 })
      .patch(`${REPO_PATH}/issues/comments/50`, (b: { body: string }) => (comments.push(b.body), true)).reply(200, {})
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(body, labels))
      .patch(`${REPO_PATH}/issues/1`).reply(200, {});
    await receive("issues", labeled("postmortem: published"));

    expect(created[0]!.body).toContain("| 種類 | detect |\n| 期限 | 2026年12月15日 |\n| 重大度 | SEV2 |\n| 発生日 | 2026年11月20日 |\n| ポストモーテム | Codertocat/Hello-World#1 |");
    expect(created[0]!.body).toContain("上記のポストモーテムのアクションアイテムから、postmortem-bot が起票しました。");
    // The item without `due:` is due 30 business days after publishing (as in English).
    expect(created[1]!.body).toContain("| 期限 | 2027年1月8日 |");
    expect(readFollowUpMarker(created[0]!.body as string)?.parent).toEqual({ owner: OWNER, repo: "Hello-World", number: 1 });

    const last = comments.at(-1)!;
    expect(last).toContain("### ポストモーテムのチェック: ✅ 完成");
    expect(last).toContain("#### フォローアップ: 2件中0件完了\n\n2件は未完了。");
    expect(last).toContain("- [ ] Codertocat/backend#11 — Alert on checkout error rate");
    expect(last).toContain("（未完了）");
    expect(last).toContain(
      "> [!WARNING]\n> 3番目のアクションアイテム（`Route payment provider calls through the egress proxy with …`）は起票していません。`acme/infra` はこのポストモーテムとは別のオーナーのリポジトリで、このアプリは Organization をまたいで書き込むことはありません。Codertocat のリポジトリを指定してください。",
    );
    const section = last.slice(last.indexOf("#### フォローアップ"));
    expect(prose(section).replace(/ — [^\n（]*（/g, " （")).not.toMatch(ENGLISH);
  });

  it("refuses to publish an incomplete postmortem in Japanese", async () => {
    let comment = "";
    mockSetupReadsWithEnglishForm(mockAppAuth(), CONFIG_JA)
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(fixtureBody("incomplete"), ["postmortem", "postmortem: incomplete", "postmortem: published"]))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 50 })
      .delete(`${REPO_PATH}/issues/1/labels/postmortem%3A%20published`).reply(200, []);
    await receive("issues", labeled("postmortem: published"));
    expect(comment).toContain(
      "> [!WARNING]\n> 公開できませんでした。このポストモーテムにはまだ問題が8件あります（上の一覧を参照）。修正してから、`postmortem: published` ラベルを付けてもう一度公開してください。",
    );
    expect(prose(comment.slice(comment.indexOf("> [!WARNING]")))).not.toMatch(ENGLISH);
    expect(readFollowUps(readState(comment)).published).toBe(false);
  });

  it("says in Japanese who may publish, with how this repository publishes", async () => {
    let comment = "";
    let reply = "";
    mockSetupReadsWithEnglishForm(mockAppAuth(), CONFIG_JA)
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(fixtureBody("complete"), ["postmortem", "postmortem: ready", "postmortem: published"]))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .get(`${REPO_PATH}/collaborators/Codertocat/permission`).reply(200, { permission: "read", role_name: "read" })
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 50 })
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((reply = b.body), true)).reply(201, { id: 51 })
      .delete(`${REPO_PATH}/issues/1/labels/postmortem%3A%20published`).reply(200, []);
    await receive("issues", labeled("postmortem: published"));
    expect(comment).toContain("公開（`postmortem: published` ラベルの追加）できるのはその権限をお持ちの方だけです。");
    expect(prose(comment.slice(comment.indexOf("> [!WARNING]")))).not.toMatch(ENGLISH);
    expect(reply).toContain("`Codertocat` さん、申し訳ありません。");
  });

  it("refuses to copy a private postmortem into a public repository, in Japanese", async () => {
    let comment = "";
    mockSetupReadsWithEnglishForm(mockAppAuth(), CONFIG_JA)
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(fixtureBody("complete"), ["postmortem", "postmortem: ready", "postmortem: published"]))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .get(REPO_PATH).reply(200, { private: true })
      .get(`${REPO_PATH}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "write" })
      .get(`/repos/${OWNER}/backend`).reply(200, { private: false })
      .get(`/repos/${OWNER}/sre`).reply(404, { message: "Not Found" })
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 50 });
    await receive("issues", labeled("postmortem: published"));
    expect(comment).toContain("1番目のアクションアイテム（`Alert on checkout error rate over a 2-minute window, and on…`）は起票していません。このポストモーテムは非公開で、`Codertocat/backend` は公開のため");
    expect(comment).toContain("2番目のアクションアイテム（`Add downstream services (payments, email) to the capacity c…`）は起票していません。`Codertocat/sre` が存在しないか");
    expect(prose(comment.slice(comment.indexOf("> [!WARNING]")))).not.toMatch(ENGLISH);
  });
});

describe("a follow-up target that does not exist", () => {
  it("is reported once and remembered, not retried on every event", async () => {
    const config = `${CONFIG}  ghost: { repo: ${OWNER}/ghost }\n`;
    const body = fixtureBody("complete").replace(/### Action items\n\n[\s\S]*?\n\n### What went well/, "### Action items\n\n- [ ] Write the runbook owner: ghost\n\n### What went well");
    const labels = ["postmortem", "postmortem: ready", "postmortem: published"];
    let comment = "";
    mockSetupReads(mockAppAuth(), config)
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(body, labels))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .get(REPO_PATH).reply(200, { private: false })
      .get(`${REPO_PATH}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "write" })
      .get(`/repos/${OWNER}/ghost`).reply(404, { message: "Not Found" })
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 50 });
    await receive("issues", labeled("postmortem: published"));
    expect(comment).toContain(`\`${OWNER}/ghost\` does not exist or the app is not installed on it`);
    expect(Object.keys(readFollowUps(readState(comment)).unfiled ?? {})).toHaveLength(1);

    // Another event, in a new process (no caches): the remembered target is neither read nor filed, the comment unchanged.
    ctx.app = createTestApp();
    mockSetupReads(mockAppAuth(), config)
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(body, labels))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [{ id: 50, body: comment, user: BOT }]);
    await receive("issues", payload("edited", { issue: { number: 1 }, changes: { body: { from: "" } }, sender: { login: "alice", type: "User" } }));
  });
});

import { parseActionItems } from "../../src/postmortem/action-items.js";
function firstKey(body: string): string {
  const start = body.indexOf("- [ ]");
  return parseActionItems(body.slice(start, body.indexOf("\n\n### What went well")), start, { owner: OWNER, repo: "Hello-World" }).items[0]!.key;
}

describe("a person's edit that lands between the app's read and its write", () => {
  it("is written back, with the app's links, when the app's own edit comes back", async () => {
    const base = fixtureBody("complete");
    const start = base.indexOf("- [ ]");
    const items = parseActionItems(base.slice(start, base.indexOf("\n\n### What went well")), start, { owner: OWNER, repo: "Hello-World" }).items;
    const state = { v: 1, status: "ready", followUps: { published: true, items: { [items[0]!.key]: { ref: `${OWNER}/backend#11`, state: "open", text: "x" } } } };
    const comment = `${STATUS_MARKER}\n...\n<!-- postmortem-bot:state ${JSON.stringify(state)} -->`;
    const lineEnd = base.indexOf("\r\n", start);
    const linked = (body: string) => body.replace(items[0]!.text, items[0]!.text).replace(base.slice(start, lineEnd), `${base.slice(start, lineEnd)} ${OWNER}/backend#11`);
    const human = base.replace("### Summary\n\n", "### Summary\n\nEdited by a person. ");
    const written = linked(base); // the app linked the body it had read before the person's edit
    const ownEdit = payload("edited", {
      issue: { number: 1, body: written, user: { login: "alice" } },
      changes: { body: { from: human } },
      sender: BOT,
    });
    let restored = "";
    mockSetup(mockAppAuth())
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(written, ["postmortem", "postmortem: ready", "postmortem: published"]))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [{ id: 50, body: comment, user: BOT }])
      .patch(`${REPO_PATH}/issues/1`, (b: { body: string }) => ((restored = b.body), true)).reply(200, {});
    await receive("issues", ownEdit);
    expect(restored).toBe(linked(human));

    // When the app's write was based on the latest version, its own edit costs no call at all.
    await receive("issues", payload("edited", { issue: { number: 1, body: linked(human), user: { login: "alice" } }, changes: { body: { from: human } }, sender: BOT }));
  });
});

describe("Slack notices", () => {
  it("says once that a postmortem was published, and a Slack outage does not touch the GitHub work", async () => {
    const { SlackNotifier } = await import("../../src/integrations/slack.js");
    type PublishedNotice = import("../../src/integrations/slack.js").PublishedNotice;
    const waits: number[] = [];
    const slack = new SlackNotifier(
      { owners: new Map(), fallback: "https://hooks.slack.test/services/T/B/secret" },
      { sleep: async (ms: number) => void waits.push(ms), log: { debug() {}, info() {}, warn() {}, error() {} } },
    );
    const sent: Promise<unknown>[] = [];
    ctx.app = createTestApp(undefined, {
      notify: { published: (n: PublishedNotice) => void sent.push(slack.published(n)), recommended: () => {}, overdue: () => {} },
    });
    const outage = nock("https://hooks.slack.test").post("/services/T/B/secret").times(3).reply(500, "down");
    const body = fixtureBody("complete").replace(/- \[ \] (Add downstream|Route payment)[^\n]*\n/g, "");
    const labels = ["postmortem", "postmortem: ready", "postmortem: published"];
    const github = mockSetup(mockAppAuth())
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(body, labels))
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .get(REPO_PATH).reply(200, { private: false })
      .get(`${REPO_PATH}/collaborators/Codertocat/permission`).reply(200, { permission: "write", role_name: "write" })
      .get(`/repos/${OWNER}/backend`).reply(200, { private: false })
      .post(`${REPO_PATH}/issues/1/comments`).reply(201, { id: 50 })
      .post(`/repos/${OWNER}/backend/issues`).reply(201, { number: 11 })
      .patch(`${REPO_PATH}/issues/comments/50`).reply(200, {})
      .get(`${REPO_PATH}/issues/1`).reply(200, issue(body, labels))
      .patch(`${REPO_PATH}/issues/1`, (b: { body: string }) => ((linked = b.body), true)).reply(200, {});
    let linked = "";
    await receive("issues", labeled("postmortem: published"));
    expect(github.isDone()).toBe(true);
    expect(sent).toHaveLength(1);
    await expect(sent[0]).resolves.toMatchObject({ outcome: "failed", attempts: 3 });
    expect(outage.isDone()).toBe(true);
    expect(waits).toEqual([1000, 2000]);
    // Redelivered: already published, so no second notice.
    nock(API).get(`${REPO_PATH}/issues/1`).reply(200, issue(linked, labels));
    await receive("issues", labeled("postmortem: published"));
    expect(sent).toHaveLength(1);
  });
});
