import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/io.js";
import { report } from "../../src/cli/report.js";
import { resolveConfig } from "../../src/config/load.js";
import { configSchema, type ConfigInput } from "../../src/config/schema.js";
import { defaultForm, type SetupResult } from "../../src/config/setup.js";
import { localIssueNumbers, metricsReportCommand, reconcileMetricsIssue, type MetricsIssueDeps } from "../../src/features/metrics-issue.js";
import type { Octokit } from "../../src/github/octokit.js";
import { buildAggregate, type PostmortemAggregate, type PostmortemIssue } from "../../src/postmortem/aggregate.js";
import { METRICS_MARKER, renderJson, renderMarkdown } from "../../src/postmortem/report-render.js";
import { body } from "../helpers/fixtures.js";
import { mermaidBlocks, validateXyChart } from "../helpers/mermaid.js";
import { generatePostmortems, type GeneratedPostmortem } from "../helpers/postmortems.js";
import { INSTALLATION, NOW, ORG_CONFIG, startReportOrg, type ReportOrg } from "../e2e/report-fixture.js";

/**
 * The metrics report in Japanese: `renderMarkdown(…, { language: "ja" })`, the
 * metrics issue of a repository whose config says `language: ja`, and
 * `postmortem-bot report --lang ja --format markdown`. JSON and CSV are the
 * same in every language; English markdown is unchanged.
 */

const setup = (input: ConfigInput): SetupResult => ({ ok: true, setup: { config: configSchema.parse(input), form: defaultForm(), sources: [] } });
const toIssue = (g: GeneratedPostmortem): PostmortemIssue => ({
  repo: g.repo,
  number: g.number,
  title: g.title,
  url: `https://github.com/${g.repo}/issues/${g.number}`,
  body: g.body,
  state: g.state,
  createdAt: g.createdAt,
  labels: ["postmortem"],
});

/** What a reader reads: no hidden marker, code span, chart source, link target or row of user titles. */
function prose(markdown: string): string {
  return markdown
    .replace(/```mermaid[\s\S]*?```/g, "")
    .split("\n")
    .filter((line) => !line.startsWith("<!-- postmortem-bot:") && !line.startsWith("| ["))
    .join("\n")
    .replace(/`[^`]*`/g, "")
    .replace(/\]\([^)]*\)/g, "]")
    .replace(/\S+\.ya?ml(:\d+)?/g, "");
}

const ENGLISH =
  /\b(the|is|are|not|and|to|of|by|with|for|from|in|median|months?|severity|period|postmortems?|complete|incomplete|previous|current|change|definition|repositories|trend|consumed|declared|evaluated|incidents?|target|window|unspecified)\b/i;

function generatedAggregate(): PostmortemAggregate {
  const setups = new Map<string, SetupResult>([
    ["acme/mobile", setup({ timezone: "Asia/Tokyo" })],
    ["acme/payments", setup({})],
    ["acme/platform", setup({ metrics: { ttr_from: "detected" } })],
  ]);
  const generated = generatePostmortems({ repos: ["acme/mobile", "acme/payments", "acme/platform"], count: 200, now: NOW, seed: 20261203, spanDays: 730 });
  const agg = buildAggregate(generated.map(toIssue), setups, { now: NOW });
  // A form without a severity field, and a repository whose config is broken (with a problem as the loader writes it in Japanese).
  return {
    ...agg,
    bySeverity: [...agg.bySeverity, { severity: "unspecified", ...agg.overall }],
    repos: [
      ...agg.repos,
      { repo: "acme/legacy", ok: false, ttrFrom: null, postmortems: 0, complete: 0, incomplete: 0, setupProblems: [{ file: ".github/postmortem.yml", line: 3, message: "不明なキー `lable` があります" }] },
    ],
  };
}

/** Three complete postmortems naming an SLO, one re-evaluated to another level (as in budget-aggregate.test.ts). */
function budgetAggregate(): PostmortemAggregate {
  const config = resolveConfig({
    slos: [{ name: "checkout availability", target: 99.9, window: "30d" }],
    teams: { backend: { repo: "acme/backend" }, sre: { repo: "acme/sre", handles: ["@acme/sre"] } },
  });
  const setups = new Map<string, SetupResult>([["acme/payments", { ok: true, setup: { config, form: defaultForm(), sources: [] } }]]);
  const postmortem = (number: number, severity: string, labels: string[]): PostmortemIssue => ({
    repo: "acme/payments",
    number,
    title: `決済の障害 ${number}`,
    url: `https://github.com/acme/payments/issues/${number}`,
    body: body("complete-crlf")
      .replace("### Root causes\r\n", "### Affected SLOs\r\n\r\ncheckout availability\r\n\r\n### Affected share\r\n\r\n38%\r\n\r\n### Root causes\r\n")
      .replace("### Severity\r\n\r\nSEV2", `### Severity\r\n\r\n${severity}`),
    state: "open",
    createdAt: "2026-11-21T00:00:00Z",
    labels: ["postmortem", ...labels],
  });
  return buildAggregate([postmortem(1, "SEV2", []), postmortem(2, "SEV1", ["evaluated: SEV2"])], setups, { now: NOW });
}

describe("renderMarkdown in Japanese", () => {
  const agg = generatedAggregate();
  const md = renderMarkdown(agg, { marker: METRICS_MARKER, language: "ja" });

  it("writes headings, sentences, table headers and definitions in Japanese, with Japanese dates and durations", () => {
    expect(md.startsWith(`${METRICS_MARKER}\n## ポストモーテムの指標\n`)).toBe(true);
    expect(md).toContain("**期間:** 2025年12月1日 〜 2026年11月27日（UTC、影響開始の日時で集計）。");
    const { totals } = agg;
    expect(md).toContain(
      `**ポストモーテム:** ${totals.postmortems}件（完成 ${totals.complete}件・未完成 ${totals.incomplete}件、オープン ${totals.open}件・クローズ ${totals.closed}件）。`,
    );
    expect(md).toContain("未完成のポストモーテムはどの数値にも含めず、下に一覧で示します。**リポジトリ:** `acme/mobile`、`acme/payments`、`acme/platform`、`acme/legacy`");
    expect(md).toContain("| 指標 | 中央値 | p90 | 件数 | 定義 |");
    expect(md).toMatch(/\| TTD \| \d+分 \| (\d+時間)?\d+分 \| \d+ \| 検知までの時間 = 検知 − 影響開始 \|/);
    expect(md).toContain(" | 復旧までの時間 = 復旧 − 影響開始、または 復旧までの時間 = 復旧 − 検知（metrics.ttr_from: detected） |");
    expect(md).toContain("| 緩和までの時間 = 緩和 − 影響開始（緩和の時刻が書かれたものだけ） |");
    expect(md).toContain("中央値と p90 は nearest-rank 法で求めた百分位数です。");
    expect(md).toContain(
      "> リポジトリによって `metrics.ttr_from` の設定が異なるため、TTR の数値には2つの定義が混ざっています: `acme/mobile`、`acme/payments` では「復旧までの時間 = 復旧 − 影響開始」、`acme/platform` では「復旧までの時間 = 復旧 − 検知（metrics.ttr_from: detected）」。",
    );
    expect(md).toContain("### 推移\n\n同じ長さの前の期間（2024年12月5日 〜 2025年12月1日）との比較です。\n\n| | 前の期間 | 今の期間 | 変化 |");
    expect(md).toMatch(/\| TTR の中央値 \| \d+時間(\d+分)? \| \d+時間(\d+分)? \| [▲▼=] [+−±](\d+時間)?(\d+分)? \([+−±][\d.]+%\) \|/);
    expect(md).toContain("### 重大度別\n\n| 重大度 | 件数 | TTD 中央値 | TTD p90 | TTR 中央値 | TTR p90 | TTM 中央値 | TTM p90 |");
    expect(md).toMatch(/\n\| 未指定 \| \d+ \| /);
    expect(md).toContain("### 月別\n\n影響開始の月（UTC）で集計しています。\n\n| 月 | 件数 |");
    expect(md).toMatch(/\n\| 2025年12月 \| \d+ \| /);
    expect(md).toMatch(/\n\| 2026年11月 \| \d+ \| /);
    expect(md).toContain("完成したポストモーテムのない月には棒が表示されません。");
    expect(md).toContain(`### 未完成のポストモーテム（${agg.incomplete.length}件）\n\n直るまではどの数値にも含めません。`);
    expect(md).toContain("| ポストモーテム | タイトル | 問題 |");
    expect(md).toContain("### 設定ファイルまたはフォームが壊れているリポジトリ");
    expect(md).toContain("- `acme/legacy`: .github/postmortem.yml:3: 不明なキー `lable` があります");
  });

  it("titles its charts in Japanese, and they stay valid Mermaid", () => {
    const charts = mermaidBlocks(md);
    expect(charts).toHaveLength(3);
    for (const chart of charts) expect(validateXyChart(chart)).toEqual([]);
    expect(charts[0]).toContain('title "重大度別の完成したポストモーテム数"');
    expect(charts[0]).toContain('"未指定"');
    expect(charts[0]).toContain('y-axis "件数"');
    expect(charts[1]).toMatch(/title "月別の TTR 中央値（(分|時間|日)）"/);
    expect(charts[1]).toContain('x-axis ["2025年12月", "2026年1月"');
    expect(charts[2]).toMatch(/title "月別の TTD 中央値（(分|時間|日)）"/);
  });

  it("leaks no English sentence", () => {
    expect(prose(md)).not.toMatch(ENGLISH);
    for (const english of ["Postmortem metrics", "**Period:**", "Compared with", "By severity", "By month", "nearest-rank percentiles", "Left out of every figure", "time to detect"]) {
      expect(md).not.toContain(english);
    }
  });

  it("writes the levels and error budget sections in Japanese", () => {
    const budget = renderMarkdown(budgetAggregate(), { language: "ja" });
    expect(budget).toContain("### 申告レベルと評価レベル");
    expect(budget).toContain("| 申告 | 評価 | 件数 |\n| --- | --- | ---: |\n| SEV1 | SEV2 | 1 |");
    expect(budget).toContain("### 消費したエラーバジェット\n\n| SLO | 目標 | 期間 | 期間の開始 | インシデント数 | 消費したバジェット |");
    expect(budget).toMatch(/\| checkout availability \| 99\.9% \| 30d \| 2026年10月28日 \| 2 \| \d+(\.\d)?% \|/);
    expect(budget).toContain("#### レベル別の消費したエラーバジェット");
    expect(prose(budget).replace(/checkout availability/g, "")).not.toMatch(ENGLISH);
  });

  it("leaves JSON the same in every language, and English markdown as it was", () => {
    expect(renderMarkdown(agg, { marker: METRICS_MARKER, language: "en" })).toBe(renderMarkdown(agg, { marker: METRICS_MARKER }));
    // JSON is machine-read: its definitions stay the English values whatever the language.
    expect(JSON.parse(renderJson(agg)).definitions.ttd).toBe("time to detect = detected − impact started");
    const empty = buildAggregate([], new Map(), { now: NOW });
    const months = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"];
    expect(renderMarkdown(empty, { marker: METRICS_MARKER })).toBe(
      [
        METRICS_MARKER,
        "## Postmortem metrics",
        "",
        "**Period:** 2025-12-01 → 2026-11-27 (UTC), by impact start. **Postmortems:** 0 (0 complete, 0 incomplete; 0 open, 0 closed). ",
        "",
        "| Metric | Median | p90 | Postmortems | Definition |",
        "| --- | ---: | ---: | ---: | --- |",
        "| TTD | — | — | 0 | time to detect = detected − impact started |",
        "| TTR | — | — | 0 | time to recover = recovered − impact started |",
        "| TTM | — | — | 0 | time to mitigate = mitigated − impact started (only when a mitigated time is given) |",
        "",
        "Median and p90 are nearest-rank percentiles: with the n values sorted, the p-th percentile is the value at rank ⌈p × n / 100⌉, so every figure is an observed value (for an even n the median is the lower middle value).",
        "",
        "### Trend",
        "",
        "Compared with the previous period of the same length, 2024-12-05 → 2025-12-01.",
        "",
        "| | Previous | Current | Change |",
        "| --- | ---: | ---: | --- |",
        "| Complete postmortems | 0 | 0 | = ±0 |",
        "| Median TTD | — | — | — |",
        "| Median TTR | — | — | — |",
        "| Median TTM | — | — | — |",
        "",
        "### By severity",
        "",
        "| Severity | Postmortems | TTD median | TTD p90 | TTR median | TTR p90 | TTM median | TTM p90 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        "",
        "### By month",
        "",
        "Month (UTC) of impact start.",
        "",
        "| Month | Postmortems | TTD median | TTD p90 | TTR median | TTR p90 | TTM median | TTM p90 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ...months.map((m) => `| ${m} | 0 | — | — | — | — | — | — |`),
        "",
      ].join("\n"),
    );
  });
});

// ------------------------------------------------------------------ against the GitHub stand-in

let org: ReportOrg;
let octokit: Octokit;
let env: Record<string, string>;

beforeAll(async () => {
  org = await startReportOrg({ count: 60, seed: 5 });
  // The org's fallback config (which platform and sre read) says Japanese; payments and mobile have configs of their own.
  org.standin.setFile("acme", ".github", ".github/postmortem.yml", `${ORG_CONFIG}language: ja\n`);
  octokit = new ProbotOctokit({ auth: { token: org.token }, baseUrl: `${org.standin.url}/api/v3`, throttle: { enabled: false } }) as Octokit;
  env = { GITHUB_TOKEN: org.token, GITHUB_API_URL: `${org.standin.url}/api/v3` };
}, 120_000);

afterAll(async () => {
  await org?.standin.close();
});

describe("the metrics issue of a Japanese metrics repository", () => {
  it("is titled and written in Japanese, and /postmortem report replies in Japanese", async () => {
    const deps: MetricsIssueDeps = { botLogin: async () => org.standin.botLogin, now: () => NOW, numbers: localIssueNumbers() };
    const result = await reconcileMetricsIssue(octokit, deps, { installationId: INSTALLATION, owner: "acme", repo: "platform" });
    expect(result).toMatchObject({ outcome: "created", metricsRepo: "acme/sre" });
    if (result.outcome === "skipped") return;
    const issue = org.standin.issue("acme", "sre", result.issueNumber)!;
    expect(issue.title).toBe("ポストモーテムの指標");
    const text = issue.body!;
    expect(text.startsWith(`${METRICS_MARKER}\n## ポストモーテムの指標\n\n**期間:** 2025年12月1日 〜 2026年11月27日（UTC、影響開始の日時で集計）。`)).toBe(true);
    expect(text).toContain("**リポジトリ:** `acme/platform`\n");
    expect(text).toContain("### 月別");
    expect(prose(text)).not.toMatch(ENGLISH);
    for (const chart of mermaidBlocks(text)) expect(validateXyChart(chart)).toEqual([]);

    const reply = await metricsReportCommand(deps).run({ octokit, installationId: INSTALLATION, owner: "acme", repo: "platform", issueNumber: 1, sender: "alice", args: [] });
    expect(reply.ok).toBe(true);
    expect(reply.reply).toContain(`acme/sre#${result.issueNumber}`);
    expect(reply.reply).toMatch(/^指標の Issue /);
    expect(reply.reply).not.toMatch(/The metrics issue/);
  });

  it("says why it was skipped in the language of the repository the command was written in", async () => {
    org.standin.setFile("acme", "mobile", ".github/postmortem.yml", "label: incident-review\nlanguage: ja\nmetrics:\n  repo: globex/incidents\n");
    const deps: MetricsIssueDeps = { botLogin: async () => org.standin.botLogin, now: () => NOW, numbers: localIssueNumbers() };
    const skipped = await reconcileMetricsIssue(octokit, deps, { installationId: INSTALLATION, owner: "acme", repo: "mobile" });
    expect(skipped).toEqual({
      outcome: "skipped",
      reason: "metrics.repo の globex/incidents は acme アカウントの外にあります。このアプリはここからアカウントの外には書き込みません",
    });
    const reply = await metricsReportCommand(deps).run({ octokit, installationId: INSTALLATION, owner: "acme", repo: "mobile", issueNumber: 1, sender: "alice", args: [] });
    expect(reply).toEqual({ ok: false, reply: expect.stringContaining("metrics.repo の globex/incidents は acme アカウントの外にあります") });
    expect(reply.reply).not.toMatch(/not updated/);
    // English as before, for an English repository.
    org.standin.setFile("acme", "mobile", ".github/postmortem.yml", "label: incident-review\nmetrics:\n  repo: globex/incidents\n");
    const english = await metricsReportCommand(deps).run({ octokit, installationId: INSTALLATION, owner: "acme", repo: "mobile", issueNumber: 1, sender: "alice", args: [] });
    expect(english).toEqual({
      ok: false,
      reply: "The metrics issue was not updated: metrics.repo globex/incidents is outside the acme account, which this app never writes to from here.",
    });
  });
});

describe("postmortem-bot report --lang", () => {
  async function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await report(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, env);
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("--lang ja --format markdown: the markdown and the terminal's lines in Japanese", async () => {
    const r = await run(["--repo", "acme/payments", "--lang", "ja", "--format", "markdown", "--now", NOW.toISOString()]);
    expect(r.code).toBe(0);
    expect(r.out.startsWith("## ポストモーテムの指標\n\n**期間:** 2025年12月1日 〜 2026年11月27日（UTC、影響開始の日時で集計）。**ポストモーテム:** ")).toBe(true);
    expect(r.out).toContain("| TTR | ");
    expect(r.out).toContain(" | 復旧までの時間 = 復旧 − 検知（metrics.ttr_from: detected） |");
    expect(prose(r.out)).not.toMatch(ENGLISH);
    expect(r.err).toMatch(/^report: 1個のリポジトリにポストモーテムの Issue が\d+件。期間内は\d+件（完成 \d+件、未完成 \d+件） — \d+\.\d秒$/m);
    expect(r.err).not.toMatch(/postmortem issue\(s\)/);
  });

  it("defaults to the language of the config of the repository given; --lang en overrides it", async () => {
    const byConfig = await run(["--repo", "acme/platform", "--now", NOW.toISOString()]);
    expect(byConfig.code).toBe(0);
    expect(byConfig.out.startsWith("## ポストモーテムの指標\n")).toBe(true);
    // The terminal's lines are written before any config is read: English unless --lang says otherwise.
    expect(byConfig.err).toMatch(/^report: \d+ postmortem issue\(s\) in 1 repository; /m);
    const english = await run(["--repo", "acme/platform", "--lang", "en", "--now", NOW.toISOString()]);
    expect(english.out.startsWith("## Postmortem metrics\n\n**Period:** 2025-12-01 → 2026-11-27 (UTC), by impact start. ")).toBe(true);
    // An org whose .github config says Japanese: read among the files the report reads anyway, at no extra API call.
    let mark = org.standin.mark();
    const orgReport = await run(["--org", "acme", "--now", NOW.toISOString()]);
    expect(orgReport.out.startsWith("## ポストモーテムの指標\n")).toBe(true);
    const byConfigCalls = org.standin.apiCallsSince(mark).length;
    mark = org.standin.mark();
    expect((await run(["--org", "acme", "--lang", "en", "--now", NOW.toISOString()])).out.startsWith("## Postmortem metrics\n")).toBe(true);
    expect(byConfigCalls).toBe(org.standin.apiCallsSince(mark).length);
    // An English repository stays English.
    expect((await run(["--repo", "acme/payments", "--now", NOW.toISOString()])).out.startsWith("## Postmortem metrics\n")).toBe(true);
  });

  it("changes nothing in JSON and CSV", async () => {
    for (const format of ["json", "csv"]) {
      const en = await run(["--repo", "acme/platform", "--format", format, "--lang", "en", "--now", NOW.toISOString()]);
      const ja = await run(["--repo", "acme/platform", "--format", format, "--lang", "ja", "--now", NOW.toISOString()]);
      expect(ja.out).toBe(en.out);
      expect(ja.out.length).toBeGreaterThan(100);
    }
  });

  it("refuses a language it does not have, and words usage errors in the language asked for", async () => {
    await expect(run(["--repo", "acme/platform", "--lang", "fr"])).rejects.toThrow(UsageError);
    await expect(run(["--repo", "acme/platform", "--lang", "fr"])).rejects.toThrow('--lang must be en or ja\nusage: postmortem-bot report ');
    await expect(run(["--repo", "acme/platform", "--lang", "ja", "--format", "xml"])).rejects.toThrow(
      "--format には markdown、json、csv のいずれかを指定してください\n使い方: postmortem-bot report (--repo <owner/name> | --org <owner>)",
    );
    await expect(run(["--lang", "ja"])).rejects.toThrow("--repo と --org のどちらか一方だけを指定してください");
    await expect(run(["--repo", "acme/platform", "--format", "xml"])).rejects.toThrow("--format must be markdown, json or csv\nusage: postmortem-bot report ");
  });
});
