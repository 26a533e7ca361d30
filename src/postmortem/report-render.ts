import type { GroupFigures, PostmortemAggregate, PostmortemRow, Stat, Change } from "./aggregate.js";
import type { Language } from "../i18n/index.js";
import { messagesOf } from "../i18n/index.js";
import { formatDate } from "../i18n/format.js";
import { levels as levelsCatalog } from "../i18n/messages/levels.js";
import { reportMessages } from "../i18n/messages/report.js";
import { UNSPECIFIED_SEVERITY } from "./aggregate.js";
import { definitions, formatDuration } from "./metrics.js";
import { inert } from "./text.js";

/**
 * The report as markdown (tables and Mermaid `xychart-beta` charts, which
 * GitHub renders natively), JSON and CSV. Pure. Every output that shows a
 * number states the definitions and the percentile method.
 *
 * User text (titles, severity names) is echoed mention-safe and cannot break
 * a table or a chart: table cells escape `|`, `<` and line breaks; chart
 * labels are always quoted, and their quotes, backticks and line breaks are
 * replaced. Chart data arrays hold numbers only.
 */

export const METRICS_MARKER = "<!-- postmortem-bot:metrics -->";

/** GitHub refuses issue bodies over 65,536 characters; the markdown stays below this by default. */
export const DEFAULT_MAX_CHARS = 60_000;

export interface MarkdownOptions {
  /** First line, e.g. METRICS_MARKER for the metrics issue. */
  marker?: string;
  /** Top heading. Default "Postmortem metrics" (in `language`). */
  heading?: string;
  /** Language of every text (default "en"); numbers, codes, names and user text stay as they are. */
  language?: Language;
  /** At most this many incomplete postmortems are listed (default 100); the rest are counted. */
  maxIncomplete?: number;
  /** Shorten the incomplete list until the text fits (default DEFAULT_MAX_CHARS). */
  maxChars?: number;
}

// ------------------------------------------------------------------ markdown

/** One table cell of user text: no mention, no `|`, no HTML, one line. */
export function tableCell(text: string): string {
  return inert(text.replace(/[\r\n]+/g, " ").trim())
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/>/g, "&gt;");
}

function duration(seconds: number | null, language: Language): string {
  return seconds === null ? "—" : formatDuration(seconds, language);
}

function day(iso: string, language: Language = "en"): string {
  if (language === "en") return iso.slice(0, 10);
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso.slice(0, 10) : formatDate(at, "UTC", language);
}

/** `2026-11` / `2026年11月`. */
export function monthLabel(month: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  return language === "ja" && match ? `${match[1]}年${Number(match[2])}月` : month;
}

function severityLabel(severity: string, language: Language): string {
  return severity === UNSPECIFIED_SEVERITY ? messagesOf(reportMessages, language).unspecifiedSeverity : severity;
}

function arrow(direction: Change["direction"]): string {
  return direction === "up" ? "▲" : direction === "down" ? "▼" : direction === "flat" ? "=" : "";
}

function changeText(c: Change, asDuration: boolean, language: Language): string {
  if (c.delta === null) return "—";
  const sign = c.delta > 0 ? "+" : c.delta < 0 ? "−" : "±";
  const amount = asDuration ? formatDuration(Math.abs(c.delta), language) : String(Math.abs(c.delta));
  const percent = c.percent === null ? "" : ` (${c.percent > 0 ? "+" : c.percent < 0 ? "−" : "±"}${Math.abs(c.percent)}%)`;
  return `${arrow(c.direction)} ${sign}${amount}${percent}`;
}

function statCells(s: Stat, language: Language): string {
  return `${duration(s.median, language)} | ${duration(s.p90, language)}`;
}

function groupRow(label: string, g: GroupFigures, language: Language): string {
  return `| ${label} | ${g.count} | ${statCells(g.ttd, language)} | ${statCells(g.ttr, language)} | ${statCells(g.ttm, language)} |`;
}

const groupHeader = (first: string, language: Language) => [
  messagesOf(reportMessages, language).groupHeader(first),
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
];

function repoList(names: string[], language: Language = "en"): string {
  return names.map((n) => `\`${tableCell(n)}\``).join(language === "ja" ? "、" : ", ");
}

function safeUrl(url: string): string {
  return url.replace(/[\s()<>]/g, (c) => encodeURIComponent(c));
}

export function renderMarkdown(agg: PostmortemAggregate, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  let limit = options.maxIncomplete ?? 100;
  let text = render(agg, options, limit);
  while (text.length > maxChars && limit > 0) {
    limit = Math.floor(limit / 2);
    text = render(agg, options, limit);
  }
  return text;
}

function render(agg: PostmortemAggregate, options: MarkdownOptions, maxIncomplete: number): string {
  const language = options.language ?? "en";
  const m = messagesOf(reportMessages, language);
  const out: string[] = [];
  if (options.marker) out.push(options.marker);
  out.push(`## ${options.heading ?? m.heading}`, "");
  const { totals } = agg;
  out.push(
    m.period(day(agg.period.start, language), day(agg.period.end, language)) +
      m.totals(totals) +
      (totals.incomplete > 0 ? m.incompleteLeftOut : "") +
      (agg.repos.length > 0 ? m.repositories(repoList(agg.repos.map((r) => r.repo), language)) : ""),
    "",
  );

  // The aggregate states its definitions in English (the JSON's values); the markdown states them in its language.
  const defs = definitions("started", language);
  const ttrDefs = agg.definitions.TTR.map((d) => ({ ...d, definition: definitions(d.ttrFrom, language).TTR }));
  const ttrDefinition = ttrDefs.length === 1 ? ttrDefs[0]!.definition : ttrDefs.map((d) => d.definition).join(m.ttrDefinitionsOr);
  out.push(
    m.overallHeader,
    "| --- | ---: | ---: | ---: | --- |",
    `| TTD | ${statCells(agg.overall.ttd, language)} | ${agg.overall.ttd.count} | ${defs.TTD} |`,
    `| TTR | ${statCells(agg.overall.ttr, language)} | ${agg.overall.ttr.count} | ${ttrDefinition} |`,
    `| TTM | ${statCells(agg.overall.ttm, language)} | ${agg.overall.ttm.count} | ${defs.TTM}${m.ttmOnlyWhenGiven} |`,
    "",
    m.percentiles,
    "",
  );
  if (agg.ttrDefinitionsDisagree) {
    out.push("> [!WARNING]", m.ttrDisagree(ttrDefs.map((d) => m.definitionIn(d.definition, repoList(d.repos, language)))), "");
  }

  const t = agg.trend;
  out.push(
    m.trendHeading,
    "",
    m.trendCompared(day(agg.previousPeriod.start, language), day(agg.previousPeriod.end, language)),
    "",
    m.trendHeader,
    "| --- | ---: | ---: | --- |",
    `| ${m.completePostmortems} | ${t.count.previous ?? 0} | ${t.count.current ?? 0} | ${changeText(t.count, false, language)} |`,
    `| ${m.median("TTD")} | ${duration(t.ttdMedian.previous, language)} | ${duration(t.ttdMedian.current, language)} | ${changeText(t.ttdMedian, true, language)} |`,
    `| ${m.median("TTR")} | ${duration(t.ttrMedian.previous, language)} | ${duration(t.ttrMedian.current, language)} | ${changeText(t.ttrMedian, true, language)} |`,
    `| ${m.median("TTM")} | ${duration(t.ttmMedian.previous, language)} | ${duration(t.ttmMedian.current, language)} | ${changeText(t.ttmMedian, true, language)} |`,
    "",
  );

  out.push(m.bySeverityHeading, "", ...groupHeader(m.severity, language));
  for (const g of agg.bySeverity) out.push(groupRow(tableCell(severityLabel(g.severity, language)), g, language));
  out.push("");
  if (agg.bySeverity.some((g) => g.count > 0)) {
    out.push(
      fence(
        xyChart({
          title: m.severityChartTitle,
          xLabels: agg.bySeverity.map((g) => severityLabel(g.severity, language)),
          yLabel: m.postmortemsAxis,
          series: [{ kind: "bar", values: agg.bySeverity.map((g) => g.count) }],
        }),
      ),
      "",
    );
  }

  out.push(...renderLevelsAndBudget(agg, language));

  out.push(m.byMonthHeading, "", m.byMonthNote, "", ...groupHeader(m.month, language));
  for (const g of agg.byMonth) out.push(groupRow(monthLabel(g.month, language), g, language));
  out.push("");
  const withData = agg.byMonth.some((g) => g.ttr.median !== null || g.ttd.median !== null);
  if (withData) {
    for (const [name, pick] of [
      ["TTR", (g: GroupFigures) => g.ttr.median],
      ["TTD", (g: GroupFigures) => g.ttd.median],
    ] as const) {
      const values = agg.byMonth.map((g) => pick(g));
      const unit = unitFor(Math.max(0, ...values.map((v) => v ?? 0)));
      out.push(
        fence(
          xyChart({
            title: m.monthChartTitle(name, unit.name),
            xLabels: agg.byMonth.map((g) => monthLabel(g.month, language)),
            yLabel: m.unitAxis(unit.name),
            series: [{ kind: "bar", values: values.map((v) => (v === null ? 0 : v / unit.seconds)) }],
          }),
        ),
        "",
      );
    }
    out.push(m.noBar, "");
  }

  if (agg.incomplete.length > 0) {
    out.push(m.incompleteHeading(agg.incomplete.length), "", m.incompleteNote, "", m.incompleteHeader, "| --- | --- | --- |");
    for (const entry of agg.incomplete.slice(0, maxIncomplete)) {
      out.push(
        `| [${tableCell(entry.repo)}#${entry.number}](${safeUrl(entry.url)}) | ${tableCell(entry.title)} | ${entry.problems.map((c) => `\`${c}\``).join(", ")} |`,
      );
    }
    const rest = agg.incomplete.length - Math.min(maxIncomplete, agg.incomplete.length);
    if (rest > 0) out.push("", m.incompleteMore(rest));
    out.push("");
  }

  const broken = agg.repos.filter((r) => !r.ok && r.setupProblems.length > 0);
  if (broken.length > 0) {
    out.push(m.brokenHeading, "", m.brokenNote, "");
    for (const r of broken) {
      const problems = r.setupProblems.map((p) => `${p.file}${p.line === null ? "" : `:${p.line}`}: ${p.message}`);
      out.push(`- \`${tableCell(r.repo)}\`: ${problems.map((p) => tableCell(p)).join("; ")}`);
    }
    out.push("");
  }
  return out.join("\n").replace(/\n+$/, "\n");
}

/** Declared against evaluated levels, and the error budget consumed per SLO per window and per level. */
export function renderLevelsAndBudget(agg: PostmortemAggregate, language: Language): string[] {
  const m = messagesOf(levelsCatalog, language);
  const out: string[] = [];
  const { levels, budget } = agg;
  if (levels.reevaluated > 0) {
    out.push(m.reportLevelsHeading, "", m.reportLevelsSummary(levels.reevaluated, levels.differ, levels.total), "");
    if (levels.changes.length > 0) {
      out.push(m.reportLevelsColumns, "| --- | --- | ---: |");
      for (const c of levels.changes) out.push(`| ${tableCell(c.declared)} | ${tableCell(c.evaluated)} | ${c.count} |`);
      out.push("");
    }
  }
  // Orgs that name no SLO get no empty section.
  if (budget.slos.length === 0) return out;
  out.push(m.reportBudgetHeading, "", m.reportBudgetColumns, "| --- | ---: | --- | --- | ---: | ---: |");
  for (const slo of budget.slos) {
    // Every window with an incident, and the current one.
    const shown = slo.windows.filter((w, i) => w.incidents > 0 || i === slo.windows.length - 1);
    for (const w of shown) out.push(`| ${tableCell(slo.slo)} | ${slo.target}% | ${slo.window} | ${day(w.start, language)} | ${w.incidents} | ${w.consumedPercent}% |`);
  }
  out.push("", m.reportBudgetByLevelHeading, "", m.reportBudgetByLevelColumns, "| --- | --- | ---: | ---: |");
  for (const slo of budget.slos) for (const l of slo.byLevel) out.push(`| ${tableCell(slo.slo)} | ${tableCell(l.level)} | ${l.incidents} | ${l.consumedPercent}% |`);
  out.push("", m.budgetDefinition, m.reportBudgetNote, "");
  return out;
}

/** Chart unit for durations whose largest value is `maxSeconds`. */
export function unitFor(maxSeconds: number): { name: "minutes" | "hours" | "days"; seconds: number } {
  if (maxSeconds < 2 * 3600) return { name: "minutes", seconds: 60 };
  if (maxSeconds < 2 * 86_400) return { name: "hours", seconds: 3600 };
  return { name: "days", seconds: 86_400 };
}

function fence(code: string): string {
  return ["```mermaid", code, "```"].join("\n");
}

// ------------------------------------------------------------------ mermaid

export interface XyChartSpec {
  title: string;
  xLabels: string[];
  yLabel: string;
  series: { kind: "bar" | "line"; values: number[] }[];
}

/** A label inside double quotes: no quote, backtick, line break or `%%` can end the string or the fence. */
export function mermaidString(text: string): string {
  const clean = text
    .replace(/["`]/g, "'")
    .replace(/[\r\n\t]+/g, " ")
    .replace(/%%/g, "%")
    .trim();
  return `"${clean === "" ? "(none)" : clean}"`;
}

/** A data value: a plain decimal (at most 2 places), never NaN, Infinity or exponent notation. */
export function mermaidNumber(value: number): string {
  if (!Number.isFinite(value)) return "0";
  const rounded = Math.round(value * 100) / 100;
  return rounded.toFixed(2).replace(/\.?0+$/, "") || "0";
}

/** Mermaid `xychart-beta` source (GitHub renders it in a ```mermaid block). */
export function xyChart(spec: XyChartSpec): string {
  for (const s of spec.series) {
    if (s.values.length !== spec.xLabels.length) throw new RangeError(`xyChart: ${s.values.length} values for ${spec.xLabels.length} x-axis labels`);
  }
  return [
    "xychart-beta",
    `    title ${mermaidString(spec.title)}`,
    `    x-axis [${spec.xLabels.map(mermaidString).join(", ")}]`,
    `    y-axis ${mermaidString(spec.yLabel)}`,
    ...spec.series.map((s) => `    ${s.kind} [${s.values.map(mermaidNumber).join(", ")}]`),
  ].join("\n");
}

// ------------------------------------------------------------------ JSON

export interface StatJson {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface GroupJson {
  count: number;
  ttd_seconds: StatJson;
  ttr_seconds: StatJson;
  ttm_seconds: StatJson;
}

export interface ChangeJson {
  current: number | null;
  previous: number | null;
  delta: number | null;
  percent: number | null;
  direction: "up" | "down" | "flat" | null;
}

export interface RowJson {
  repo: string;
  number: number;
  title: string;
  url: string;
  state: "open" | "closed";
  severity: string | null;
  started_at: string | null;
  detected_at: string | null;
  mitigated_at: string | null;
  recovered_at: string | null;
  ttd_seconds: number | null;
  ttr_seconds: number | null;
  ttm_seconds: number | null;
  ttr_from: "started" | "detected" | null;
  complete: boolean;
  problems: string[];
  /** Set with `/postmortem level`; null when never re-evaluated. */
  evaluated_level: string | null;
  /** Percent of each named SLO's error budget the incident consumed. */
  budget: { slo: string; target: number; window: string; consumed_percent: number }[];
}

/** The documented JSON shape of `postmortem-bot report --format json` (version 1). */
export interface ReportJson {
  version: 1;
  generated_at: string;
  period: { start: string; end: string };
  previous_period: { start: string; end: string };
  months: string[];
  percentile_method: "nearest-rank";
  percentile_method_description: string;
  definitions: {
    ttd: string;
    ttm: string;
    ttr: { ttr_from: "started" | "detected"; definition: string; repos: string[] }[];
  };
  ttr_definitions_disagree: boolean;
  repos: { repo: string; ok: boolean; ttr_from: "started" | "detected" | null; postmortems: number; complete: number; incomplete: number; setup_problems: { file: string; line: number | null; message: string }[] }[];
  totals: { postmortems: number; complete: number; incomplete: number; open: number; closed: number };
  overall: GroupJson;
  by_severity: (GroupJson & { severity: string })[];
  by_month: (GroupJson & { month: string })[];
  trend: {
    previous: GroupJson;
    count: ChangeJson;
    ttd_median_seconds: ChangeJson;
    ttr_median_seconds: ChangeJson;
    ttm_median_seconds: ChangeJson;
  };
  incomplete: { repo: string; number: number; title: string; url: string; problems: string[] }[];
  /** Complete postmortems' error budget consumed per SLO, per window of the SLO's length and per level. */
  error_budget: {
    definition: string;
    slos: {
      slo: string;
      target: number;
      window: string;
      incidents: number;
      windows: { start: string; end: string; incidents: number; consumed_percent: number }[];
      by_level: { level: string; incidents: number; consumed_percent: number }[];
    }[];
  };
  /** Declared (severity answer) against evaluated (`/postmortem level`) levels, over complete postmortems. */
  levels: { total: number; reevaluated: number; differ: number; changes: { declared: string; evaluated: string; count: number }[] };
  postmortems: RowJson[];
}

function groupJson(g: GroupFigures): GroupJson {
  return { count: g.count, ttd_seconds: { ...g.ttd }, ttr_seconds: { ...g.ttr }, ttm_seconds: { ...g.ttm } };
}

export function rowJson(r: PostmortemRow): RowJson {
  return {
    repo: r.repo,
    number: r.number,
    title: r.title,
    url: r.url,
    state: r.state,
    severity: r.severity,
    started_at: r.startedAt,
    detected_at: r.detectedAt,
    mitigated_at: r.mitigatedAt,
    recovered_at: r.recoveredAt,
    ttd_seconds: r.ttdSeconds,
    ttr_seconds: r.ttrSeconds,
    ttm_seconds: r.ttmSeconds,
    ttr_from: r.ttrFrom,
    complete: r.complete,
    problems: [...r.problems],
    evaluated_level: r.evaluatedLevel,
    budget: r.budget.map((b) => ({ slo: b.slo, target: b.target, window: b.window, consumed_percent: b.consumedPercent })),
  };
}

export function toReportJson(agg: PostmortemAggregate): ReportJson {
  return {
    version: 1,
    generated_at: agg.generatedAt,
    period: { ...agg.period },
    previous_period: { ...agg.previousPeriod },
    months: [...agg.months],
    percentile_method: agg.percentileMethod,
    percentile_method_description: agg.percentileMethodDescription,
    definitions: {
      ttd: agg.definitions.TTD,
      ttm: agg.definitions.TTM,
      ttr: agg.definitions.TTR.map((d) => ({ ttr_from: d.ttrFrom, definition: d.definition, repos: [...d.repos] })),
    },
    ttr_definitions_disagree: agg.ttrDefinitionsDisagree,
    repos: agg.repos.map((r) => ({
      repo: r.repo,
      ok: r.ok,
      ttr_from: r.ttrFrom,
      postmortems: r.postmortems,
      complete: r.complete,
      incomplete: r.incomplete,
      setup_problems: r.setupProblems.map((p) => ({ file: p.file, line: p.line, message: p.message })),
    })),
    totals: { ...agg.totals },
    overall: groupJson(agg.overall),
    by_severity: agg.bySeverity.map((g) => ({ severity: g.severity, ...groupJson(g) })),
    by_month: agg.byMonth.map((g) => ({ month: g.month, ...groupJson(g) })),
    trend: {
      previous: groupJson(agg.trend.previous),
      count: { ...agg.trend.count },
      ttd_median_seconds: { ...agg.trend.ttdMedian },
      ttr_median_seconds: { ...agg.trend.ttrMedian },
      ttm_median_seconds: { ...agg.trend.ttmMedian },
    },
    incomplete: agg.incomplete.map((e) => ({ ...e, problems: [...e.problems] })),
    error_budget: {
      definition: agg.budget.definition,
      slos: agg.budget.slos.map((slo) => ({
        slo: slo.slo,
        target: slo.target,
        window: slo.window,
        incidents: slo.incidents,
        windows: slo.windows.map((w) => ({ start: w.start, end: w.end, incidents: w.incidents, consumed_percent: w.consumedPercent })),
        by_level: slo.byLevel.map((l) => ({ level: l.level, incidents: l.incidents, consumed_percent: l.consumedPercent })),
      })),
    },
    levels: { ...agg.levels, changes: agg.levels.changes.map((c) => ({ ...c })) },
    postmortems: agg.rows.map(rowJson),
  };
}

export function renderJson(agg: PostmortemAggregate): string {
  return JSON.stringify(toReportJson(agg), null, 2);
}

// ------------------------------------------------------------------ CSV

/** The CSV columns, in order. `ttr_from` says which TTR definition each row's ttr_seconds follows. */
export const CSV_COLUMNS = [
  "repo",
  "number",
  "title",
  "url",
  "severity",
  "started_at",
  "detected_at",
  "mitigated_at",
  "recovered_at",
  "ttd_seconds",
  "ttr_seconds",
  "ttm_seconds",
  "complete",
  "problems",
  "ttr_from",
  "evaluated_level",
  "budget_consumed",
] as const;

/**
 * One RFC 4180 field: quoted when it holds a comma, quote or line break.
 * Text that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`,
 * tab or CR) gets a leading `'`.
 */
export function csvField(value: string | number | boolean | null, text = false): string {
  if (value === null) return "";
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per postmortem of the period (complete or not); `problems` holds codes separated by `;`. */
export function renderCsv(agg: PostmortemAggregate): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const r of agg.rows) {
    lines.push(
      [
        csvField(r.repo),
        csvField(r.number),
        csvField(r.title, true),
        csvField(r.url),
        csvField(r.severity, true),
        csvField(r.startedAt),
        csvField(r.detectedAt),
        csvField(r.mitigatedAt),
        csvField(r.recoveredAt),
        csvField(r.ttdSeconds),
        csvField(r.ttrSeconds),
        csvField(r.ttmSeconds),
        csvField(r.complete),
        csvField(r.problems.join(";")),
        csvField(r.ttrFrom),
        csvField(r.evaluatedLevel, true),
        csvField(r.budget.map((b) => `${b.slo}=${b.consumedPercent}%`).join(";"), true),
      ].join(","),
    );
  }
  return lines.join("\n");
}
