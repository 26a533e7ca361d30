import { reasonDescription } from "../../src/postmortem/reason-text.js";
import { describe, expect, it } from "vitest";
import { parseConfigFile, resolveConfig } from "../../src/config/load.js";
import { configSchema, defaultConfig, type Config } from "../../src/config/schema.js";
import { defaultForm, type SetupResult } from "../../src/config/setup.js";
import { ReadingList, type ReadingDeps } from "../../src/features/reading-list.js";
import type { Octokit } from "../../src/github/octokit.js";
import {
  pageTitle,
  readEntries,
  readReadingState,
  renderReadingList,
  renderSession,
  stalePageBody,
  type ReadingEntry,
} from "../../src/postmortem/reading-list.js";
import { createMemoryCoordinator } from "../../src/runtime/coordination.js";
import { body, FIXTURE_NOW, TEAMS_CONFIG_TEXT } from "../helpers/fixtures.js";

/**
 * The reading list and reading sessions in Japanese (`language: ja`): every text
 * the app writes there reads as Japanese; reference data (hidden markers, label
 * names, commands) stays as it is; English output is unchanged.
 */

const ja: Config = configSchema.parse({ language: "ja" });

const entry = (n: number, reasons: string[], date: string | null, extra: Partial<ReadingEntry> = {}): ReadingEntry => ({
  ref: `acme/pm#${n}`,
  url: `https://github.com/acme/pm/issues/${n}`,
  title: `決済の障害 ${n}`,
  date,
  severity: "SEV2",
  ttdSeconds: 720,
  ttrSeconds: 5880,
  summary: `決済APIがチェックアウトの38%を拒否しました（${n}）。`,
  reasons,
  note: "",
  by: "alice",
  ...extra,
});

/** Text a reader sees: without the hidden markers (JSON) and code spans (label names, commands, config keys). */
function prose(text: string): string {
  return text
    .split("\n")
    .filter((line) => !line.startsWith("<!-- postmortem-bot:"))
    .join("\n")
    .replace(/`[^`]*`/g, "")
    .replace(/\]\([^)]*\)/g, "]");
}

const ENGLISH = /\b(the|is|are|not|and|to|of|by|with|for|from|recommended|also|page|pages|date|unknown|read|newest)\b/i;

describe("the reading list in Japanese", () => {
  const entries = [
    entry(1, ["lessons"], "2026-01-01"),
    entry(2, ["lessons"], "2026-03-01", { note: "タイムラインを読んでください", by: "kenji" }),
    entry(3, ["response", "lessons", "architecture"], "2026-02-01"),
    entry(4, [], null, { by: "" }),
  ];
  const [page, ...more] = renderReadingList(entries, { handedOut: { bob: ["acme/pm#1"] }, heldBack: ["a1", "b2"] }, ja, () => "");
  const text = page!.body;

  it("writes headings, entry lines, credits and the intro in Japanese", () => {
    expect(more).toEqual([]);
    expect(text).toContain("### 学びが多い（`recommended: lessons`）");
    expect(text).toContain("### 障害対応の進め方の参考になる（`recommended: response`）");
    expect(text).toContain("### おすすめ");
    expect(text).toContain("- **[決済の障害 2](https://github.com/acme/pm/issues/2)** — 2026年3月1日 · SEV2 · TTD 12分 · TTR 1時間38分");
    expect(text).toContain("- **[決済の障害 4](https://github.com/acme/pm/issues/4)** — 日付不明 · SEV2 · TTD 12分 · TTR 1時間38分");
    expect(text).toContain("  _タイムラインを読んでください_ — 推薦者: kenji");
    expect(text).toContain("  推薦者: alice — ほかの推薦理由: 学びが多い、現在のアーキテクチャの理解に役立つ");
    expect(text).toContain("オンボーディングの輪読会向けに推薦されたポストモーテムです（全4件、新しい障害から順に並べています）。");
    expect(text).toContain("`/postmortem recommend <理由> [メモ]` とコメントしてください。");
    expect(text).toContain("読める人がより少ないリポジトリのポストモーテム 2 件は、ここには表示していません");
    // Newest incident first within a reason.
    expect(text.indexOf("決済の障害 2")).toBeLessThan(text.indexOf("決済の障害 1"));
  });

  it("leaks no English sentence, and keeps the hidden state readable", () => {
    expect(prose(text)).not.toMatch(ENGLISH);
    for (const english of ["Postmortems recommended", "Newest incident first", "recommended by", "also:", "### Recommended", "date unknown", "Holds many lessons"]) {
      expect(text).not.toContain(english);
    }
    expect(readEntries(text).map((e) => e.ref).sort()).toEqual(["acme/pm#1", "acme/pm#2", "acme/pm#3", "acme/pm#4"]);
    expect(readEntries(text).find((e) => e.ref === "acme/pm#3")).toEqual(entries[2]);
    expect(readReadingState(text)).toEqual({ handedOut: { bob: ["acme/pm#1"] }, heldBack: ["a1", "b2"] });
  });

  it("links its pages in Japanese", () => {
    const many = Array.from({ length: 400 }, (_, i) => entry(i + 1, ["lessons"], "2026-01-01", { summary: `${"長い要約です。".repeat(40)}` }));
    const pages = renderReadingList(many, { handedOut: {} }, ja, (n) => `https://github.com/acme/pm/issues/${1000 + n}`);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]!.body).toContain("ページ: 1（このページ） · [2](https://github.com/acme/pm/issues/1002)");
    expect(pages[1]!.body).toContain("[ポストモーテムのリーディングリスト](https://github.com/acme/pm/issues/1001)の2ページ目です。");
    for (const p of pages) expect(prose(p.body)).not.toMatch(ENGLISH);
    expect(pageTitle(1, "ja")).toBe("ポストモーテムのリーディングリスト");
    expect(pageTitle(2, "ja")).toBe("ポストモーテムのリーディングリスト（2ページ目）");
    expect(stalePageBody(3, "https://github.com/acme/pm/issues/1001", "ja")).toBe(
      "<!-- postmortem-bot:reading-list page=3 -->\n\n[ポストモーテムのリーディングリスト](https://github.com/acme/pm/issues/1001)のこのページは、もう使われていません。",
    );
    expect(renderReadingList([], { handedOut: {} }, ja, () => "")[0]!.body).toContain("_推薦されたポストモーテムはまだありません。_");
  });

  it("translates a reason description only while it is the built-in English default", () => {
    const custom = configSchema.parse({
      language: "ja",
      reading_list: { label: "必読", reasons: { lessons: "Holds many lessons", ops: "運用の手順が分かる", deep: "Great deep dive" } },
    });
    expect(reasonDescription(custom, "lessons", "ja")).toBe("学びが多い");
    expect(reasonDescription(custom, "ops", "ja")).toBe("運用の手順が分かる");
    expect(reasonDescription(custom, "deep", "ja")).toBe("Great deep dive");
    expect(reasonDescription(custom, "lessons", "en")).toBe("Holds many lessons");
    const list = renderReadingList([entry(1, ["ops"], "2026-01-01"), entry(2, ["deep"], "2026-01-02")], { handedOut: {} }, custom, () => "")[0]!.body;
    expect(list).toContain("### 運用の手順が分かる（`必読: ops`）");
    expect(list).toContain("### Great deep dive（`必読: deep`）");
  });
});

describe("a reading session in Japanese", () => {
  const picked = [entry(2, ["lessons"], "2026-03-01"), entry(3, ["response", "architecture"], null), entry(4, [], "2025-12-24")];
  const session = renderSession(picked, ["bob", "carol"], "2026-11-27", ja);

  it("has a Japanese title, welcome, checklist and tip", () => {
    expect(session.title).toBe("ポストモーテム輪読会 — 2026年11月27日");
    expect(session.body).toBe(
      [
        "ようこそ！輪読会の前に、次のポストモーテムを読んでおいてください（対象: bob、carol）。読み終えたものにはチェックを入れてください。",
        "",
        "- [ ] [決済の障害 2](https://github.com/acme/pm/issues/2) — 学びが多い（2026年3月1日）",
        "- [ ] [決済の障害 3](https://github.com/acme/pm/issues/3) — 障害対応の進め方の参考になる、現在のアーキテクチャの理解に役立つ",
        "- [ ] [決済の障害 4](https://github.com/acme/pm/issues/4) — おすすめ（2025年12月24日）",
        "",
        "読むときは、障害がどのように検知されたか、何が対応を遅らせたか、どのアクションアイテムがシステムを変えたかに注目してください。",
      ].join("\n"),
    );
    expect(prose(`${session.title}\n${session.body}`)).not.toMatch(ENGLISH);
  });
});

describe("English is unchanged", () => {
  const entries = [
    { ...entry(1, ["lessons", "response"], "2026-03-01"), title: "Incident 1", summary: "Summary 1.", note: "Read the timeline" },
    { ...entry(2, [], null), title: "Incident 2", summary: "Summary 2.", by: "" },
  ];

  it("renders the list page exactly as before", () => {
    const expected =
      "<!-- postmortem-bot:reading-list page=1 -->\n\nPostmortems recommended for onboarding reading sessions: 2 in all. Newest incident first. Recommend one with the `recommended` label (and `recommended: <reason>`), or with `/postmortem recommend <reason> [note]`. This list is kept by postmortem-bot; edits to it are overwritten. 1 postmortem from repositories fewer people can read is not shown here (set `reading_list.allow_public: true` in that repository's config to allow it).\n\n### Holds many lessons (`recommended: lessons`)\n\n" +
      '<!-- postmortem-bot:entry {"ref":"acme/pm#1","url":"https://github.com/acme/pm/issues/1","title":"Incident 1","date":"2026-03-01","severity":"SEV2","ttdSeconds":720,"ttrSeconds":5880,"summary":"Summary 1.","reasons":["lessons","response"],"note":"Read the timeline","by":"alice"} -->\n' +
      "- **[Incident 1](https://github.com/acme/pm/issues/1)** — 2026-03-01 · SEV2 · TTD 12m · TTR 1h 38m\n  Summary 1.\n  _Read the timeline_ — recommended by alice — also: A reference for how to act during an incident\n\n### Recommended\n\n" +
      '<!-- postmortem-bot:entry {"ref":"acme/pm#2","url":"https://github.com/acme/pm/issues/2","title":"Incident 2","date":null,"severity":"SEV2","ttdSeconds":720,"ttrSeconds":5880,"summary":"Summary 2.","reasons":[],"note":"","by":""} -->\n' +
      "- **[Incident 2](https://github.com/acme/pm/issues/2)** — date unknown · SEV2 · TTD 12m · TTR 1h 38m\n  Summary 2.\n\n" +
      '<!-- postmortem-bot:reading-state {"handedOut":{},"heldBack":["x"]} -->';
    expect(renderReadingList(entries, { handedOut: {}, heldBack: ["x"] }, defaultConfig, () => "")[0]!.body).toBe(expected);
    expect(renderReadingList(entries, { handedOut: {}, heldBack: ["x"] }, ja, () => "", "en")[0]!.body).toBe(expected);
    expect(pageTitle(1, "en")).toBe("Postmortem reading list");
    expect(pageTitle(2, "en")).toBe("Postmortem reading list (page 2)");
  });

  it("renders the session exactly as before", () => {
    expect(renderSession(entries, ["bob"], "2026-11-27", defaultConfig)).toEqual({
      title: "Postmortem reading session — 2026-11-27",
      body: "Welcome! Read these postmortems before the session (for bob). Tick each one when you have read it.\n\n- [ ] [Incident 1](https://github.com/acme/pm/issues/1) — Holds many lessons, A reference for how to act during an incident, 2026-03-01\n- [ ] [Incident 2](https://github.com/acme/pm/issues/2) — recommended\n\nWhile reading, look for: how the incident was detected, what slowed the response, and which action items changed the system.",
    });
  });
});

// ------------------------------------------------------------------ the feature, on a fake GitHub

interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: { name: string }[];
  user: { login: string };
  html_url: string;
  state: string;
  assignees?: string[];
}

const BOT = "postmortem-bot[bot]";

/** Just the issue calls the reading list makes. */
function fakeGitHub(): { octokit: Octokit; issues: Map<string, FakeIssue[]> } {
  const issues = new Map<string, FakeIssue[]>();
  const of = (owner: string, repo: string) => {
    const key = `${owner}/${repo}`;
    if (!issues.has(key)) issues.set(key, []);
    return issues.get(key)!;
  };
  const listForRepo = async (p: { owner: string; repo: string; labels?: string }) => ({
    data: of(p.owner, p.repo).filter((i) => !p.labels || i.labels.some((l) => l.name.toLowerCase() === p.labels!.toLowerCase())),
  });
  const rest = {
    issues: {
      listForRepo,
      get: async (p: { owner: string; repo: string; issue_number: number }) => {
        const found = of(p.owner, p.repo).find((i) => i.number === p.issue_number);
        if (!found) throw Object.assign(new Error("Not Found"), { status: 404 });
        return { data: found };
      },
      create: async (p: { owner: string; repo: string; title: string; body: string; labels?: string[]; assignees?: string[] }) => {
        const list = of(p.owner, p.repo);
        const number = list.length + 1;
        const issue: FakeIssue = {
          number,
          title: p.title,
          body: p.body,
          labels: (p.labels ?? []).map((name) => ({ name })),
          user: { login: BOT },
          html_url: `https://github.com/${p.owner}/${p.repo}/issues/${number}`,
          state: "open",
          assignees: p.assignees,
        };
        list.push(issue);
        return { data: issue };
      },
      update: async (p: { owner: string; repo: string; issue_number: number; body?: string; state?: string }) => {
        const found = of(p.owner, p.repo).find((i) => i.number === p.issue_number)!;
        if (p.body !== undefined) found.body = p.body;
        if (p.state !== undefined) found.state = p.state;
        return { data: found };
      },
    },
  };
  const paginate = async (fn: (p: never) => Promise<{ data: unknown[] }>, params: never) => (await fn(params)).data;
  return { octokit: { rest, paginate } as unknown as Octokit, issues };
}

function configOf(extra: string): Config {
  const parsed = parseConfigFile(`${TEAMS_CONFIG_TEXT}\n${extra}`, "postmortem.yml");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return resolveConfig(parsed.raw);
}

/** acme/payments (English config) keeps its list in acme/handbook, whose config says `language: ja`. */
function readingList(configs: Record<string, Config>): ReadingList {
  const setup = (repo: string): SetupResult => ({ ok: true, setup: { config: configs[repo] ?? defaultConfig, form: defaultForm(), sources: [] } });
  const deps = {
    repos: { get: async () => ({ visibility: "private" }) },
    permissions: { atLeast: async () => true },
    files: { setup: async (_octokit: Octokit, _id: number, ref: { repo: string }) => setup(ref.repo) },
    labels: {},
    coordinator: createMemoryCoordinator(),
    now: () => FIXTURE_NOW,
    botLogin: async () => BOT,
  } as unknown as ReadingDeps;
  return new ReadingList(deps);
}

const JA_SUMMARY = "11月20日14:03から15:41（JST）まで、決済APIがチェックアウトの38%を拒否しました。詳しくは下を読んでください。";

function recommendedPostmortem(gitHub: ReturnType<typeof fakeGitHub>, repo: string, title: string, reason: string): void {
  const text = body("complete").replace(/^### Summary\n\n[^\n]+/, `### Summary\n\n${JA_SUMMARY}`);
  const list = gitHub.issues.get(`acme/${repo}`) ?? [];
  gitHub.issues.set(`acme/${repo}`, list);
  const number = list.length + 1;
  list.push({
    number,
    title,
    body: text,
    labels: [{ name: "postmortem" }, { name: "recommended" }, { name: `recommended: ${reason}` }],
    user: { login: "alice" },
    html_url: `https://github.com/acme/${repo}/issues/${number}`,
    state: "closed",
  });
}

describe("the reading list feature writes in the language of the list repository's config", () => {
  it("an English repository's list kept in a Japanese repository: pages and sessions in Japanese", async () => {
    const gitHub = fakeGitHub();
    const configs = { payments: configOf("reading_list:\n  repo: acme/handbook\n"), handbook: configOf("language: ja\n") };
    recommendedPostmortem(gitHub, "payments", "決済の障害", "lessons");
    const list = readingList(configs);
    const home = { owner: "acme", repo: "payments" };
    const result = await list.rebuild(gitHub.octokit, 1, home, [home], "sre-lead");
    expect(result).toEqual({ entries: 1, heldBack: 0, unreadable: 0 });
    const [page] = gitHub.issues.get("acme/handbook")!;
    expect(page!.title).toBe("ポストモーテムのリーディングリスト");
    expect(page!.labels).toEqual([{ name: "postmortem reading list" }]);
    expect(page!.body).toContain("### 学びが多い（`recommended: lessons`）");
    expect(page!.body).toContain("- **[決済の障害](https://github.com/acme/payments/issues/1)** — 2026年11月20日 · SEV2 · TTD 12分 · TTR 1時間38分");
    expect(page!.body).toContain(`  ${JA_SUMMARY.split("。")[0]}。`);
    expect(prose(page!.body)).not.toMatch(ENGLISH);

    const session = await list.openSession(gitHub.octokit, 1, home, ["newbie"], 2);
    expect(session).toEqual({ issueNumber: 2, picked: 1 });
    const issue = gitHub.issues.get("acme/handbook")![1]!;
    expect(issue.title).toBe("ポストモーテム輪読会 — 2026年11月27日");
    expect(issue.assignees).toEqual(["newbie"]);
    expect(issue.body).toContain("（対象: newbie）");
    expect(issue.body).toContain("- [ ] [決済の障害](https://github.com/acme/payments/issues/1) — 学びが多い（2026年11月20日）");
    expect(prose(issue.body)).not.toMatch(ENGLISH);
    // The list remembers what was handed out, in its hidden state.
    expect(readReadingState(gitHub.issues.get("acme/handbook")![0]!.body)).toEqual({ handedOut: { newbie: ["acme/payments#1"] } });
  });

  it("a Japanese repository's list kept in an English repository stays English; the refusal follows the command's repository", async () => {
    const gitHub = fakeGitHub();
    const configs = { payments: configOf("language: ja\nreading_list:\n  repo: acme/handbook\n"), handbook: configOf("") };
    const list = readingList(configs);
    const home = { owner: "acme", repo: "payments" };
    // Nothing recommended yet: the reply (written where the command was) is Japanese.
    expect(await list.openSession(gitHub.octokit, 1, home, ["newbie"], null)).toEqual({
      error: "リーディングリストが空です。先に `recommended` ラベルでポストモーテムを推薦してください",
    });
    recommendedPostmortem(gitHub, "payments", "Checkout outage", "response");
    await list.rebuild(gitHub.octokit, 1, home, [home], "sre-lead");
    const [page] = gitHub.issues.get("acme/handbook")!;
    expect(page!.title).toBe("Postmortem reading list");
    expect(page!.body).toContain("### A reference for how to act during an incident (`recommended: response`)");
    expect(page!.body).toContain("— 2026-11-20 · SEV2 · TTD 12m · TTR 1h 38m");
    const english = readingList({ payments: configOf("reading_list:\n  repo: acme/handbook\n") });
    expect(await english.openSession(fakeGitHub().octokit, 1, home, ["newbie"], null)).toEqual({
      error: "the reading list is empty: recommend postmortems with the `recommended` label first",
    });
  });
});
