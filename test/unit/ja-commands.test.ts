import { generateKeyPairSync } from "node:crypto";
import webhookExamples from "@octokit/webhooks-examples";
import type { IssueCommentCreatedEvent, IssuesEvent, IssuesLabeledEvent } from "@octokit/webhooks-types";
import nock from "nock";
import { ProbotOctokit, type Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig, type Config } from "../../src/config/schema.js";
import { defaultForm, type SetupResult } from "../../src/config/setup.js";
import { COMMAND_ALIASES, commandRegistry, reasonKey } from "../../src/features/command-registry.js";
import { findCommand, helpText, parseCommands, type CommandContext, type CommandSpec } from "../../src/features/commands.js";
import { reconcilePostmortem } from "../../src/features/postmortem.js";
import type { ReadingList } from "../../src/features/reading-list.js";
import { sweepInstallation } from "../../src/features/reminders.js";
import { remindReviews } from "../../src/features/review-reminders.js";
import { StatusComments } from "../../src/github/status-comment.js";
import type { OverdueItem } from "../../src/integrations/slack.js";
import { STATUS_MARKER, writeState } from "../../src/postmortem/status.js";
import { createMemoryCoordinator } from "../../src/runtime/coordination.js";
import { createRuntime, type Runtime } from "../../src/runtime/runtime.js";
import { API, INSTALLATION_ID, mockAppAuth, mockSetupReads, useTestApp } from "../helpers/app.js";
import { body } from "../helpers/fixtures.js";
import { startStandin, type Standin } from "../e2e/standin/server.js";
import type { Language } from "../../src/i18n/index.js";

/** Common English words: none may appear in Japanese output outside code spans. */
const ENGLISH = /\b(the|is|are|not|and|to|this|of|was|for|with|only|please|can|has)\b/i;
const prose = (text: string) => text.replace(/`[^`]*`/g, "");
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

// ---------------------------------------------------------------------------
// A registry over stubs: the replies themselves, no GitHub.

interface Stubs {
  config?: Partial<Config>;
  broken?: boolean;
  labels?: string[];
  maintain?: boolean;
  entry?: "draft" | "not-postmortem" | "added";
  session?: { issueNumber: number; picked: number } | { error: string };
}

function registryOver(stubs: Stubs = {}) {
  const config: Config = { ...defaultConfig, language: "ja", ...stubs.config };
  const setup: SetupResult = stubs.broken ? { ok: false, problems: [], config } : { ok: true, setup: { config, form: defaultForm(), sources: [] } };
  const calls: string[] = [];
  const runtime = {
    files: { setup: async () => setup, reader: () => ({ read: async () => null }) },
    permissions: { atLeast: async () => stubs.maintain ?? true },
    labels: { ensure: async () => undefined },
    now: () => new Date("2026-12-01T00:00:00Z"),
    botLogin: async () => "postmortem-bot[bot]",
  } as unknown as Runtime;
  const readingList = {
    listRepo: (_config: Config, home: { owner: string; repo: string }) => home,
    reconcileEntry: async () => stubs.entry ?? "added",
    openSession: async (_o: unknown, _i: number, _h: unknown, people: string[], size: number | null) => {
      calls.push(`session ${people.join(",")} ${size}`);
      return stubs.session ?? { issueNumber: 12, picked: 8 };
    },
    rebuild: async () => ({ entries: 14, heldBack: 1, unreadable: 1 }),
  } as unknown as ReadingList;
  const metrics = {
    botLogin: async () => "postmortem-bot[bot]",
    now: () => new Date("2026-12-01T00:00:00Z"),
    reader: () => ({ read: async (_ref: unknown, path: string) => (path === ".github/postmortem.yml" ? "language: ja\nmetrics:\n  repo: globex/incidents\n" : null) }),
  };
  const octokit = {
    rest: {
      issues: {
        get: async () => ({ data: { number: 1, title: "t", body: "", state: "open", labels: (stubs.labels ?? ["bug"]).map((name) => ({ name })) } }),
        addLabels: async (p: { labels: string[] }) => (calls.push(`add ${p.labels.join(" + ")}`), { data: [] }),
        removeLabel: async (p: { name: string }) => (calls.push(`remove ${p.name}`), { data: [] }),
        setLabels: async (p: { labels: string[] }) => (calls.push(`set ${p.labels.join(" + ")}`), { data: [] }),
      },
      apps: { listReposAccessibleToInstallation: {} },
    },
    paginate: async () => [{ owner: { login: "acme" }, name: "payments" }, { owner: { login: "acme" }, name: "api" }, { owner: { login: "acme" }, name: "web" }],
  };
  const registry = commandRegistry(runtime, readingList, metrics);
  const run = (name: string, args: string[] = [], sender = "kenji") =>
    findCommand(registry, name)!.run({ octokit, installationId: 3, owner: "acme", repo: "payments", issueNumber: 1, sender, args } as unknown as CommandContext);
  return { registry, run, calls };
}

const names = (registry: readonly CommandSpec[]) => registry.map((c) => c.name);

describe("Japanese command names", () => {
  const { registry } = registryOver();

  it("every command has a Japanese name, and each name finds its command", () => {
    expect(Object.keys(COMMAND_ALIASES).sort()).toEqual(names(registry).sort());
    for (const [name, aliases] of Object.entries(COMMAND_ALIASES)) {
      for (const alias of aliases) expect(findCommand(registry, alias)?.name, alias).toBe(name);
    }
    expect(findCommand(registry, "公開")?.name).toBe("publish");
    expect(findCommand(registry, "おすすめ解除")?.name).toBe("unrecommend");
    expect(findCommand(registry, "輪読会")?.name).toBe("reading-session");
    expect(findCommand(registry, "ふろぶ")).toBeUndefined();
  });

  it("reads a full-width space after /postmortem and between arguments, and a full-width slash", () => {
    expect(parseCommands("/postmortem\u3000公開")).toEqual([{ name: "公開", args: [] }]);
    expect(parseCommands("お願いします\n／postmortem\u3000おすすめ\u3000学び\u3000とても参考になりました")).toEqual([{ name: "おすすめ", args: ["学び", "とても参考になりました"] }]);
    expect(parseCommands("/postmortem 輪読会　５件　＠bob")).toEqual([{ name: "輪読会", args: ["５件", "＠bob"] }]);
    // Full-width letters in the verb read as ASCII; a full-width space alone is `help`.
    expect(parseCommands("/postmortem ｃｈｅｃｋ")).toEqual([{ name: "check", args: [] }]);
    expect(parseCommands("/postmortem\u3000")).toEqual([{ name: "help", args: [] }]);
    expect(findCommand(registry, parseCommands("／postmortem　チェック")[0]!.name)?.name).toBe("check");
  });

  it("still ignores Japanese commands in code, quotes and mid-line", () => {
    expect(parseCommands("```\n/postmortem　公開\n```\n> ／postmortem 公開\nあとで /postmortem 公開 します")).toEqual([]);
    expect(parseCommands("/postmortem公開")).toEqual([]);
  });

  it("reads Japanese words for the built-in reasons, only where the config has that reason", () => {
    expect(reasonKey(defaultConfig, "学び")).toBe("lessons");
    expect(reasonKey(defaultConfig, "設計")).toBe("architecture");
    expect(reasonKey(defaultConfig, "障害対応")).toBe("response");
    expect(reasonKey(defaultConfig, "Lessons")).toBe("lessons");
    const custom = { ...defaultConfig, reading_list: { ...defaultConfig.reading_list, reasons: { onboarding: "For new members" } } };
    expect(reasonKey(custom, "学び")).toBe("学び");
  });
});

describe("help in Japanese", () => {
  const { registry } = registryOver();

  it("shows the Japanese names and Japanese descriptions", () => {
    const text = helpText(registry, "ja");
    expect(text.split("\n").slice(0, 4)).toEqual([
      "**postmortem-bot のコマンド**（このリポジトリで triage 以上の権限を持つ人が実行できます。英語名と日本語名のどちらでも使えます）",
      "",
      "| コマンド | 日本語のコマンド名 | 内容 |",
      "| --- | --- | --- |",
    ]);
    expect(text).toContain("| `/postmortem publish` | `/postmortem 公開` | レビュー済みのポストモーテムを公開し、アクションアイテムをそれぞれフォローアップ Issue として起票します（`follow_ups.publish_on: command` のとき）。 |");
    expect(text).toContain("| `/postmortem recommend <理由> [メモ…]` | `/postmortem おすすめ`、`/postmortem 推薦` | このポストモーテムを、理由");
    expect(text).toContain("| `/postmortem reading-session [件数] [@相手…]` | `/postmortem 輪読会` |");
    expect(text).toContain("| `/postmortem level <レベル> <理由…>` | `/postmortem レベル` | インシデントのレベルを評価し直します");
    expect(text).toContain("| `/postmortem report` | `/postmortem レポート` | 指標の Issue をいますぐ更新します");
    const rows = text.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows).toHaveLength(registry.length);
    for (const row of rows) {
      const description = row.split(" | ").at(-1)!;
      expect(prose(description), row).toMatch(JAPANESE);
      expect(prose(description), row).not.toMatch(ENGLISH);
    }
  });

  it("in English is the table it always was (no Japanese column)", () => {
    expect(helpText(registry, "en")).toBe(
      [
        "**postmortem-bot commands** (people with triage permission or more on this repository):",
        "",
        "| Command | What it does |",
        "| --- | --- |",
        "| `/postmortem help` | Show this list. |",
        "| `/postmortem check` | Check the postmortem again now and update its status comment. |",
        "| `/postmortem publish` | Publish the reviewed postmortem: file each action item as a follow-up issue (when `follow_ups.publish_on: command`). |",
        "| `/postmortem recommend <reason> [note…]` | Add this postmortem to the reading list, for a reason (`lessons`, `architecture`, `response` by default) with an optional note. Curators only, when `reading_list.curators` is set. |",
        "| `/postmortem unrecommend` | Take this postmortem off the reading list. |",
        "| `/postmortem reading-session [N] [@people…]` | Open an onboarding issue with a checklist of N recommended postmortems (default `reading_list.session_size`), balanced across reasons and new to the people it is for (you, or those named). |",
        "| `/postmortem rebuild-reading-list` | Rebuild the reading list from every recommended postmortem of the installation's repositories in this organization. |",
        "| `/postmortem similar` | List up to 3 earlier postmortems of this organization most like this one (shared service, same trigger or contributing factor, similar words) in its status comment; never one that readers of this repository may not see. |",
        "| `/postmortem level <level> <reason…>` | Re-evaluate the incident's level (kept beside the declared one, with who, when and why); the status comment then shows that level's rules. |",
        '| `/postmortem report` | Update the "Postmortem metrics" issue now (MTTD, MTTR and MTTM as median and p90, by severity and by month). |',
      ].join("\n"),
    );
  });
});

describe("command replies in Japanese", () => {
  const japanese = (reply: string | undefined) => {
    expect(reply).toBeDefined();
    expect(prose(reply!)).toMatch(JAPANESE);
    expect(prose(reply!)).not.toMatch(ENGLISH);
    return reply!;
  };

  it("publish: by label, by close, and on an issue that is not a postmortem", async () => {
    expect(japanese((await registryOver().run("公開")).reply)).toBe(
      "このリポジトリでは、ポストモーテムは`postmortem: published` ラベルを付けて公開します（`follow_ups.publish_on: label`）。コマンドでは公開できません。",
    );
    const close = registryOver({ config: { follow_ups: { ...defaultConfig.follow_ups, publish_on: "close" } } });
    expect(japanese((await close.run("publish")).reply)).toBe("このリポジトリでは、ポストモーテムは完了（completed）としてクローズして公開します（`follow_ups.publish_on: close`）。コマンドでは公開できません。");
    const byCommand = registryOver({ config: { follow_ups: { ...defaultConfig.follow_ups, publish_on: "command" } } });
    expect(await byCommand.run("publish")).toEqual({ ok: false, reply: "この Issue はポストモーテムではありません（ポストモーテムのラベルが付いていません）。" });
  });

  it("check and similar on an issue that is not a postmortem", async () => {
    const { run } = registryOver();
    expect(japanese((await run("チェック")).reply)).toBe("この Issue はポストモーテムではありません（ポストモーテムのラベルが付いていません）。");
    expect(japanese((await run("類似")).reply)).toBe("この Issue はポストモーテムではありません（ポストモーテムのラベルが付いていません）。");
  });

  it("recommend: an unknown reason, a non-curator, a draft, a non-postmortem, a broken setup", async () => {
    const curated = { reading_list: { ...defaultConfig.reading_list, curators: ["kenji"] } };
    expect(japanese((await registryOver().run("おすすめ", ["楽しい"])).reply)).toBe("`楽しい` という理由はありません。`lessons`、`architecture`、`response` のいずれかを指定してください。");
    expect(japanese((await registryOver({ config: curated }).run("recommend", ["学び"], "alice")).reply)).toBe("ポストモーテムを推薦できるのは、リーディングリストのキュレーターだけです。");
    const draft = registryOver({ config: curated, entry: "draft" });
    expect(japanese((await draft.run("推薦", ["学び", "とても", "参考になります"])).reply)).toBe("このポストモーテムはまだ完成していません。先に、ステータスコメントに挙がっている問題を直してください。");
    // `学び` stood for `lessons`: the reason label went on, then came off with the base label.
    expect(draft.calls).toEqual(["add recommended + recommended: lessons", "remove recommended", "remove recommended: lessons"]);
    expect(japanese((await registryOver({ entry: "not-postmortem" }).run("recommend")).reply)).toBe("推薦できるのはポストモーテムだけです。");
    expect(japanese((await registryOver({ broken: true }).run("recommend")).reply)).toBe("このリポジトリのポストモーテムの設定に誤りがあります。どこが誤っているかはステータスコメントに書いてあります。");
  });

  it("unrecommend by a non-curator", async () => {
    const { run } = registryOver({ config: { reading_list: { ...defaultConfig.reading_list, curators: ["kenji"] } } });
    expect(japanese((await run("おすすめ解除", [], "alice")).reply)).toBe("リーディングリストを変更できるのは、キュレーターだけです。");
  });

  it("reading-session: full-width count and @, opened or not", async () => {
    const opened = registryOver();
    expect(await opened.run("輪読会", ["５件", "＠bob"])).toEqual({ ok: true, reply: "輪読会の Issue #12 を作成しました（ポストモーテム8件）。" });
    expect(opened.calls).toEqual(["session bob 5"]);
    const none = registryOver({ session: { error: "リーディングリストが空です" } });
    expect(japanese((await none.run("reading-session")).reply)).toBe("輪読会の Issue は作成しませんでした（リーディングリストが空です）。");
    const refused = registryOver({ maintain: false });
    expect(japanese((await refused.run("輪読会")).reply)).toContain("`acme/payments` での maintain または admin 権限が必要です。");
  });

  it("rebuild-reading-list, with its notes in Japanese", async () => {
    expect(japanese((await registryOver().run("再構築")).reply)).toBe(
      "リポジトリ2件からリーディングリストを作り直しました（ポストモーテム14件）。読める人がより少ないリポジトリのポストモーテム 1 件は、ここには表示していません（許可する場合は、そのリポジトリの設定で `reading_list.allow_public: true` にしてください）。あなたが読めないリポジトリ 1 件は対象から外しました。",
    );
  });

  it("report: the reply's frame is Japanese (the reason comes from the metrics issue)", async () => {
    const result = await registryOver().run("レポート");
    expect(result.ok).toBe(false);
    expect(result.reply).toMatch(/^指標の Issue は更新しませんでした（metrics\.repo の globex\/incidents .*）。$/);
  });

  it("in English, the same replies read as they always did", async () => {
    const en = { language: "en" as Language };
    expect((await registryOver({ config: en }).run("公開")).reply).toBe("This repository publishes postmortems by adding the `postmortem: published` label (`follow_ups.publish_on: label`), not by command.");
    expect((await registryOver({ config: en }).run("recommend", ["fun"])).reply).toBe("`fun` is not a reason. Use one of `lessons`, `architecture`, `response`.");
    expect((await registryOver({ config: en }).run("reading-session")).reply).toBe("Opened reading session #12 with 8 postmortems.");
    expect((await registryOver({ config: en }).run("rebuild-reading-list")).reply).toBe(
      "The reading list was rebuilt from 2 repositories: 14 postmortems. 1 postmortem from repositories fewer people can read is not shown here (set `reading_list.allow_public: true` in that repository's config to allow it). 1 repository you cannot read was left out.",
    );
  });
});

// ---------------------------------------------------------------------------
// Through the app: the refusal, the unknown command, the call count.

type CommentExample = { name: string; examples: IssueCommentCreatedEvent[] };
const commentExample = (webhookExamples as unknown as CommentExample[]).find((e) => e.name === "issue_comment")!.examples.find((e) => e.action === "created")!;
const REPO_PATH = "/repos/Codertocat/Hello-World";
const COMMENT = commentExample.comment.id;
const JA_CONFIG = "language: ja\nreading_list:\n  curators: [kenji]\n";

function commented(text: string, sender: string): IssueCommentCreatedEvent {
  const p = structuredClone(commentExample) as IssueCommentCreatedEvent & { installation: object };
  p.installation = { id: INSTALLATION_ID, node_id: "x" };
  p.comment.body = text;
  p.sender = { ...p.sender, login: sender, type: "User" };
  return p;
}

describe("commands through the app, in a Japanese repository", () => {
  const ctx = useTestApp();
  let delivery = 0;
  const receive = (name: string, p: object) => ctx.app.probot.receive({ id: `ja-${++delivery}`, name, payload: p } as never);

  /** Every request nock answers, as `METHOD path`. */
  function recorded(scope: nock.Scope): string[] {
    const calls: string[] = [];
    scope.on("request", (req: { method: string; path: string }) => calls.push(`${req.method} ${req.path.split("?")[0]}`));
    return calls;
  }

  it("refuses someone without triage in Japanese; the setup costs its reads once, then nothing", async () => {
    const replies: string[] = [];
    const scope = mockSetupReads(mockAppAuth({ identity: false }), JA_CONFIG)
      .post(`${REPO_PATH}/issues/comments/${COMMENT}/reactions`).times(4).reply(201, {})
      .get(`${REPO_PATH}/collaborators/mallory/permission`).reply(200, { permission: "read", role_name: "read", user: { login: "mallory" } })
      .get(`${REPO_PATH}/collaborators/eve/permission`).reply(200, { permission: "read", role_name: "read", user: { login: "eve" } })
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => (replies.push(b.body), true)).times(2).reply(201, { id: 99 });
    const calls = recorded(scope);
    await receive("issue_comment", commented("/postmortem　公開", "mallory"));
    const first = calls.splice(0);
    await receive("issue_comment", commented("/postmortem publish", "eve"));
    expect(replies).toEqual([
      "申し訳ありません。`/postmortem` コマンドを実行できるのは、このリポジトリで triage 以上の権限を持つ人だけです。",
      "申し訳ありません。`/postmortem` コマンドを実行できるのは、このリポジトリで triage 以上の権限を持つ人だけです。",
    ]);
    // Cold: the token, 👀, the 3 setup reads (config, form here and in .github), the permission, the reply, 😕.
    expect(first).toEqual([
      "POST /app/installations/2/access_tokens",
      `POST ${REPO_PATH}/issues/comments/${COMMENT}/reactions`,
      `GET ${REPO_PATH}/contents/.github%2Fpostmortem.yml`,
      `GET ${REPO_PATH}/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml`,
      "GET /repos/Codertocat/.github/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml",
      `GET ${REPO_PATH}/collaborators/mallory/permission`,
      `POST ${REPO_PATH}/issues/1/comments`,
      `POST ${REPO_PATH}/issues/comments/${COMMENT}/reactions`,
    ]);
    // Cached: exactly what the refusal cost before the setup was read first (👀, the permission, the reply, 😕).
    expect(calls).toEqual([
      `POST ${REPO_PATH}/issues/comments/${COMMENT}/reactions`,
      `GET ${REPO_PATH}/collaborators/eve/permission`,
      `POST ${REPO_PATH}/issues/1/comments`,
      `POST ${REPO_PATH}/issues/comments/${COMMENT}/reactions`,
    ]);
  });

  it("answers an unknown command (written with a full-width slash and space) in Japanese, with the Japanese help", async () => {
    const replies: string[] = [];
    const reactions: string[] = [];
    mockSetupReads(mockAppAuth({ identity: false }), JA_CONFIG)
      .post(`${REPO_PATH}/issues/comments/${COMMENT}/reactions`, (b: { content: string }) => (reactions.push(b.content), true)).times(2).reply(201, {})
      .get(`${REPO_PATH}/collaborators/kenji/permission`).reply(200, { permission: "write", role_name: "write", user: { login: "kenji" } })
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => (replies.push(b.body), true)).reply(201, { id: 99 });
    await receive("issue_comment", commented("／postmortem　こうかい　@acme/sre", "kenji"));
    expect(reactions).toEqual(["eyes", "confused"]);
    expect(replies[0]).toMatch(/^`\/postmortem こうかい` というコマンドはありません。使えるコマンドは次のとおりです。\n\n\*\*postmortem-bot のコマンド\*\*/);
    expect(replies[0]).toContain("| `/postmortem publish` | `/postmortem 公開` |");
  });

  it("understands a Japanese name in an English repository, and replies in English", async () => {
    const replies: string[] = [];
    mockSetupReads(mockAppAuth({ identity: false }), "follow_ups:\n  publish_on: close\n")
      .post(`${REPO_PATH}/issues/comments/${COMMENT}/reactions`).times(2).reply(201, {})
      .get(`${REPO_PATH}/collaborators/kenji/permission`).reply(200, { permission: "write", role_name: "write", user: { login: "kenji" } })
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => (replies.push(b.body), true)).reply(201, { id: 99 });
    await receive("issue_comment", commented("/postmortem　公開", "kenji"));
    expect(replies).toEqual(["This repository publishes postmortems by closing the postmortem as completed (`follow_ups.publish_on: close`), not by command."]);
  });

  it("takes a recommendation label off a non-curator with a Japanese word why", async () => {
    type IssuesExample = { name: string; examples: IssuesEvent[] };
    const labeled = structuredClone((webhookExamples as unknown as IssuesExample[]).find((e) => e.name === "issues")!.examples.find((e) => e.action === "labeled")) as IssuesLabeledEvent & { installation: object };
    labeled.installation = { id: INSTALLATION_ID, node_id: "x" };
    labeled.issue.number = 1;
    labeled.issue.labels = [{ id: 1, node_id: "a", url: "", name: "postmortem", color: "ededed", default: false, description: null }, { id: 2, node_id: "b", url: "", name: "recommended", color: "ededed", default: false, description: null }];
    labeled.label = { id: 2, node_id: "b", url: "", name: "recommended", color: "ededed", default: false, description: null };
    labeled.sender = { ...labeled.sender, login: "mallory", type: "User" };
    const comments: string[] = [];
    mockSetupReads(mockAppAuth({ identity: false }), JA_CONFIG)
      .delete(`${REPO_PATH}/issues/1/labels/recommended`).reply(200, [])
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => (comments.push(b.body), true)).reply(201, { id: 99 });
    await receive("issues", labeled);
    expect(comments).toEqual(["推薦ありがとうございます。ポストモーテムを推薦できるのはリーディングリストのキュレーター（`kenji`）だけなので、キュレーターに依頼してください。`recommended` ラベルは外しました。"]);
    expect(prose(comments[0]!)).not.toMatch(ENGLISH);
  });
});

// ---------------------------------------------------------------------------
// Reminders: a stalled draft and an overdue follow-up (the stand-in), a review past its deadline (nock).

describe("reminders in Japanese", () => {
  const OWNER = "acme";
  const REPO = "pm";
  const DAY = 86_400_000;
  let standin: Standin;
  let octokit: InstanceType<typeof ProbotOctokit>;
  let clock = Date.parse("2026-12-10T00:00:00Z");
  const digests: { owner: string; items: OverdueItem[]; language: Language }[] = [];
  const deps = () =>
    createRuntime({} as Probot, {
      coordinator: createMemoryCoordinator(),
      botLogin: async () => standin.botLogin,
      now: () => new Date(clock),
      notify: { published: () => {}, recommended: () => {}, overdue: (owner, items, language) => void digests.push({ owner, items, language }) },
    });

  beforeAll(async () => {
    const key = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
    standin = await startStandin({ appId: 78, publicKey: key.publicKey, webhooksEnabled: false, now: () => new Date(clock) });
    standin.addInstallation({ id: 4, account: OWNER });
    standin.addRepo({ owner: OWNER, name: REPO, installationId: 4, labels: [{ name: "postmortem" }], files: { ".github/postmortem.yml": "language: ja\nfollow_ups:\n  default_repo: acme/pm\n" } });
    octokit = new ProbotOctokit({ auth: { token: standin.createInstallationToken(4) }, baseUrl: standin.apiBase, retry: { enabled: false }, throttle: { enabled: false } });
    const now = clock;
    clock = now - 5 * DAY;
    const draft = await standin.openIssue({ owner: OWNER, repo: REPO, title: "下書き", body: body("incomplete"), labels: ["postmortem"], user: "alice" });
    await reconcilePostmortem(octokit, deps(), { installationId: 4, owner: OWNER, repo: REPO, issueNumber: draft.number });
    // A follow-up as a Japanese follow-up body writes its due date (`| 期限 | … |`).
    await octokit.rest.issues.create({
      owner: OWNER,
      repo: REPO,
      title: "アラートを追加する",
      labels: ["postmortem follow-up"],
      assignees: ["bob"],
      body: `アラートを追加する\n\n| | |\n| --- | --- |\n| 期限 | 2026-12-06 |\n<!-- postmortem-bot:follow-up {"parent":"${OWNER}/${REPO}#${draft.number}","key":"k"} -->`,
    });
    clock = now;
  }, 30_000);

  afterAll(async () => {
    await standin?.close();
  });

  it("remind a stalled draft and an overdue follow-up in Japanese, and send the Slack digest in Japanese", async () => {
    const result = await sweepInstallation(octokit, deps(), 4, [{ owner: OWNER, repo: REPO, visibility: "public" }]);
    expect(result).toMatchObject({ draftsReminded: 1, followUpsReminded: 1 });
    const sent = standin
      .issues(OWNER, REPO)
      .flatMap((i) => standin.comments(OWNER, REPO, i.number))
      .map((c) => c.body)
      .filter((b) => b.includes("さん、"));
    expect(sent).toEqual([
      "@alice さん、このポストモーテムは5日間、未完成のままです。仕上げていただけますか？足りない項目はステータスコメントに挙がっています。今後7日間は、このお知らせを再送しません。",
      expect.stringMatching(/^@bob さん、このフォローアップの期限は2026年12月6日でした。対応が済んだらこの Issue をクローズしてください。期限を変える場合は、ポストモーテムのアクションアイテムの期限を書き換えてください。\n<!-- postmortem-bot:reminder 2026-12-10T00:00:00.000Z -->$/),
    ]);
    for (const text of sent) expect(prose(text.split("\n")[0]!)).not.toMatch(ENGLISH);
    expect(digests).toEqual([{ owner: OWNER, items: [expect.objectContaining({ title: "アラートを追加する", due: "2026-12-06" })], language: "ja" }]);
  });

  it("send a private repository's follow-ups to Slack by reference, not by title, unless slack.allow_private", async () => {
    digests.length = 0;
    // A fresh coordinator: the week's digest has not been sent yet. The reminders themselves are not repeated.
    expect(await sweepInstallation(octokit, deps(), 4, [{ owner: OWNER, repo: REPO, visibility: "private" }])).toMatchObject({ followUpsReminded: 0 });
    const followUp = standin.issues(OWNER, REPO).find((i) => i.title === "アラートを追加する")!;
    expect(digests).toEqual([{ owner: OWNER, items: [expect.objectContaining({ title: `${OWNER}/${REPO}#${followUp.number}`, due: "2026-12-06" })], language: "ja" }]);
    // A repository whose visibility the sweep was not told counts as private.
    digests.length = 0;
    await sweepInstallation(octokit, deps(), 4, [{ owner: OWNER, repo: REPO }]);
    expect(digests[0]!.items[0]!.title).toBe(`${OWNER}/${REPO}#${followUp.number}`);
    // The repository's config may allow its titles out.
    const config = standin.file(OWNER, REPO, ".github/postmortem.yml")!;
    standin.setFile(OWNER, REPO, ".github/postmortem.yml", `${config}slack:\n  allow_private: true\n`);
    digests.length = 0;
    await sweepInstallation(octokit, deps(), 4, [{ owner: OWNER, repo: REPO, visibility: "private" }]);
    expect(digests[0]!.items[0]!.title).toBe("アラートを追加する");
    standin.setFile(OWNER, REPO, ".github/postmortem.yml", config);
  });

  it("remind a review past its deadline in Japanese", async () => {
    const BOT = "postmortem-bot[bot]";
    const reviewOctokit = new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
    const comments = new StatusComments(async () => BOT, createMemoryCoordinator());
    const reminders: string[] = [];
    const status = [{ id: 12, user: { login: BOT }, body: `${STATUS_MARKER}\n### x\n\n${writeState({ v: 1, status: "ready" })}` }];
    nock.disableNetConnect();
    nock(API)
      .get("/repos/acme/pm/issues").query({ labels: "postmortem", state: "open", per_page: 100 }).reply(200, [{ number: 2, title: "pm", body: body("complete"), state: "open", user: { login: "alice" }, assignees: [{ login: "bob" }], labels: [{ name: "postmortem" }] }])
      .get("/repos/acme/pm/issues/2/comments").query({ per_page: 100 }).reply(200, status)
      .patch("/repos/acme/pm/issues/comments/12").reply(200, {})
      .post("/repos/acme/pm/issues/2/comments", (b: { body: string }) => (reminders.push(b.body), true)).reply(201, { id: 99 });
    const setup = { config: { ...defaultConfig, language: "ja" as const, timezone: "Asia/Tokyo" }, form: defaultForm(), sources: [] };
    try {
      expect(await remindReviews(reviewOctokit, { comments }, 3, { owner: "acme", repo: "pm" }, setup, new Date("2026-12-10T00:00:00Z"))).toBe(1);
      expect(nock.pendingMocks()).toEqual([]);
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
    expect(reminders).toEqual(["@bob さん、このポストモーテムは2026年12月4日までにレビューして公開する予定でした。レビューの場を設けていただけますか？今後7日間は、このお知らせを再送しません。"]);
    expect(prose(reminders[0]!)).not.toMatch(ENGLISH);
  });
});
