import { defineCatalog } from "../index.js";

interface Totals {
  postmortems: number;
  complete: number;
  incomplete: number;
  open: number;
  closed: number;
}

type ChartUnit = "minutes" | "hours" | "days";

/** The metrics report (the metrics issue and `postmortem-bot report --format markdown`). */
export const reportMessages = defineCatalog(
  "report",
  {
    heading: "Postmortem metrics",
    period: (start: string, end: string) => `**Period:** ${start} → ${end} (UTC), by impact start. `,
    totals: (t: Totals) => `**Postmortems:** ${t.postmortems} (${t.complete} complete, ${t.incomplete} incomplete; ${t.open} open, ${t.closed} closed). `,
    incompleteLeftOut: "Incomplete postmortems are left out of every figure and listed below. ",
    repositories: (list: string) => `**Repositories:** ${list}.`,
    overallHeader: "| Metric | Median | p90 | Postmortems | Definition |",
    ttmOnlyWhenGiven: " (only when a mitigated time is given)",
    ttrDefinitionsOr: "; or ",
    percentiles:
      "Median and p90 are nearest-rank percentiles: with the n values sorted, the p-th percentile is the value at rank ⌈p × n / 100⌉, so every figure is an observed value (for an even n the median is the lower middle value).",
    ttrDisagree: (parts: string[]) => `> The repositories disagree on \`metrics.ttr_from\`, so the TTR figures mix two definitions: ${parts.join("; ")}.`,
    definitionIn: (definition: string, repos: string) => `${definition} in ${repos}`,
    trendHeading: "### Trend",
    trendCompared: (start: string, end: string) => `Compared with the previous period of the same length, ${start} → ${end}.`,
    trendHeader: "| | Previous | Current | Change |",
    completePostmortems: "Complete postmortems",
    median: (metric: string) => `Median ${metric}`,
    bySeverityHeading: "### By severity",
    severity: "Severity",
    /** The severity group of postmortems whose form has no severity field (`unspecified` in JSON and CSV). */
    unspecifiedSeverity: "unspecified",
    groupHeader: (first: string) => `| ${first} | Postmortems | TTD median | TTD p90 | TTR median | TTR p90 | TTM median | TTM p90 |`,
    severityChartTitle: "Complete postmortems by severity",
    postmortemsAxis: "Postmortems",
    byMonthHeading: "### By month",
    byMonthNote: "Month (UTC) of impact start.",
    month: "Month",
    monthChartTitle: (metric: string, unit: ChartUnit) => `Median ${metric} by month (${unit})`,
    unitAxis: (unit: ChartUnit) => unit.charAt(0).toUpperCase() + unit.slice(1),
    noBar: "Months without a complete postmortem show no bar.",
    incompleteHeading: (count: number) => `### Incomplete postmortems (${count})`,
    incompleteNote: "Left out of every figure until fixed. The codes are those of each postmortem's status comment.",
    incompleteHeader: "| Postmortem | Title | Problems |",
    incompleteMore: (rest: number) => `… and ${rest} more (\`postmortem-bot report --format csv\` lists every one).`,
    brokenHeading: "### Repositories whose config or form is broken",
    brokenNote: "Their postmortems cannot be checked and are counted as incomplete (`setup-invalid`).",
    /** `postmortem-bot report`'s usage line (its other terminal texts are in the cli catalog). */
    cliUsage:
      "usage: postmortem-bot report (--repo <owner/name> | --org <owner>) [--since YYYY-MM-DD] [--format markdown|json|csv] [--lang en|ja] [--now <ISO time>]",
  },
  {
    heading: "ポストモーテムの指標",
    period: (start: string, end: string) => `**期間:** ${start} 〜 ${end}（UTC、影響開始の日時で集計）。`,
    totals: (t: Totals) =>
      `**ポストモーテム:** ${t.postmortems}件（完成 ${t.complete}件・未完成 ${t.incomplete}件、オープン ${t.open}件・クローズ ${t.closed}件）。`,
    incompleteLeftOut: "未完成のポストモーテムはどの数値にも含めず、下に一覧で示します。",
    repositories: (list: string) => `**リポジトリ:** ${list}`,
    overallHeader: "| 指標 | 中央値 | p90 | 件数 | 定義 |",
    ttmOnlyWhenGiven: "（緩和の時刻が書かれたものだけ）",
    ttrDefinitionsOr: "、または ",
    percentiles:
      "中央値と p90 は nearest-rank 法で求めた百分位数です。n 個の値を小さい順に並べたとき、p パーセンタイルは ⌈p × n / 100⌉ 番目の値なので、どの数値も実際に観測された値です（n が偶数のときの中央値は、真ん中の2つのうち小さいほうです）。",
    ttrDisagree: (parts: string[]) =>
      `> リポジトリによって \`metrics.ttr_from\` の設定が異なるため、TTR の数値には2つの定義が混ざっています: ${parts.join("、")}。`,
    definitionIn: (definition: string, repos: string) => `${repos} では「${definition}」`,
    trendHeading: "### 推移",
    trendCompared: (start: string, end: string) => `同じ長さの前の期間（${start} 〜 ${end}）との比較です。`,
    trendHeader: "| | 前の期間 | 今の期間 | 変化 |",
    completePostmortems: "完成したポストモーテム",
    median: (metric: string) => `${metric} の中央値`,
    bySeverityHeading: "### 重大度別",
    severity: "重大度",
    unspecifiedSeverity: "未指定",
    groupHeader: (first: string) => `| ${first} | 件数 | TTD 中央値 | TTD p90 | TTR 中央値 | TTR p90 | TTM 中央値 | TTM p90 |`,
    severityChartTitle: "重大度別の完成したポストモーテム数",
    postmortemsAxis: "件数",
    byMonthHeading: "### 月別",
    byMonthNote: "影響開始の月（UTC）で集計しています。",
    month: "月",
    monthChartTitle: (metric: string, unit: ChartUnit) => `月別の ${metric} 中央値（${JA_UNITS[unit]}）`,
    unitAxis: (unit: ChartUnit) => JA_UNITS[unit],
    noBar: "完成したポストモーテムのない月には棒が表示されません。",
    incompleteHeading: (count: number) => `### 未完成のポストモーテム（${count}件）`,
    incompleteNote: "直るまではどの数値にも含めません。コードは各ポストモーテムのステータスコメントと同じものです。",
    incompleteHeader: "| ポストモーテム | タイトル | 問題 |",
    incompleteMore: (rest: number) => `…ほか${rest}件（\`postmortem-bot report --format csv\` ですべて確認できます）。`,
    brokenHeading: "### 設定ファイルまたはフォームが壊れているリポジトリ",
    brokenNote: "これらのリポジトリのポストモーテムはチェックできないため、未完成（`setup-invalid`）として数えています。",
    cliUsage:
      "使い方: postmortem-bot report (--repo <owner/name> | --org <owner>) [--since YYYY-MM-DD] [--format markdown|json|csv] [--lang en|ja] [--now <ISO 8601 の時刻>]",
  },
  {
    period: ["2025-12-01", "2026-12-01"],
    totals: [{ postmortems: 12, complete: 10, incomplete: 2, open: 3, closed: 9 }],
    repositories: ["`acme/payments`, `acme/search`"],
    ttrDisagree: [["time to recover = recovered − impact started in `acme/payments`", "time to recover = recovered − detected in `acme/search`"]],
    definitionIn: ["time to recover = recovered − impact started", "`acme/payments`"],
    trendCompared: ["2024-12-01", "2025-12-01"],
    median: ["TTR"],
    groupHeader: ["Severity"],
    monthChartTitle: ["TTR", "hours"],
    unitAxis: ["minutes"],
    incompleteHeading: [3],
    incompleteMore: [42],
  },
);

const JA_UNITS: Record<ChartUnit, string> = { minutes: "分", hours: "時間", days: "日" };
