import { describe, expect, it } from "vitest";
import { configSchema, type ConfigInput } from "../../src/config/schema.js";
import { defaultForm, type SetupResult } from "../../src/config/setup.js";
import {
  buildAggregate,
  evaluatePostmortem,
  evaluatePostmortems,
  nearestRank,
  PERCENTILE_METHOD_DESCRIPTION,
  summarize,
  type PostmortemAggregate,
  type PostmortemIssue,
} from "../../src/postmortem/aggregate.js";
import { validatePostmortem } from "../../src/postmortem/validate.js";
import { CSV_COLUMNS, csvField, mermaidNumber, renderCsv, renderJson, renderMarkdown, xyChart, type ReportJson } from "../../src/postmortem/report-render.js";
import { mermaidBlocks, validateXyChart } from "../helpers/mermaid.js";
import { expectedPercentile, expectedStats, generatePostmortems, placement, utcMonth, type ExpectedStats, type GeneratedPostmortem } from "../helpers/postmortems.js";

const NOW = new Date("2026-11-27T00:00:00Z");
const PERIOD_START = Date.parse("2025-12-01T00:00:00Z");
// Same length as 2025-12-01 → 2026-11-27 (361 days), ending where the period starts.
const PREVIOUS_START = PERIOD_START - (NOW.getTime() - PERIOD_START);
const REPOS = ["acme/mobile", "acme/payments", "acme/platform"];
const TTR_FROM: Record<string, "started" | "detected"> = { "acme/mobile": "started", "acme/payments": "started", "acme/platform": "detected" };

function setup(input: ConfigInput): SetupResult {
  return { ok: true, setup: { config: configSchema.parse(input), form: defaultForm(), sources: [] } };
}

const SETUPS = new Map<string, SetupResult>([
  ["acme/mobile", setup({ timezone: "Asia/Tokyo" })],
  ["acme/payments", setup({})],
  ["acme/platform", setup({ metrics: { ttr_from: "detected" } })],
]);

function toIssue(g: GeneratedPostmortem): PostmortemIssue {
  return { repo: g.repo, number: g.number, title: g.title, url: `https://github.com/${g.repo}/issues/${g.number}`, body: g.body, state: g.state, createdAt: g.createdAt, labels: ["postmortem"] };
}

const generated = generatePostmortems({ repos: REPOS, count: 300, now: NOW, seed: 20261127, spanDays: 730 });
const aggregate = buildAggregate(generated.map(toIssue), SETUPS, { now: NOW });

const inPeriod = generated.filter((p) => placement(p) >= PERIOD_START && placement(p) <= NOW.getTime());
const inPrevious = generated.filter((p) => placement(p) >= PREVIOUS_START && placement(p) < PERIOD_START);
const complete = inPeriod.filter((p) => p.defect === null);
const expectFigures = (actual: { count: number; ttd: unknown; ttr: unknown; ttm: unknown }, expected: ExpectedStats) =>
  expect({ count: actual.count, ttd: actual.ttd, ttr: actual.ttr, ttm: actual.ttm }).toEqual(expected);

describe("nearest-rank percentiles", () => {
  it("takes the value at rank ⌈p·n/100⌉", () => {
    const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(summarize(ten)).toEqual({ count: 10, median: 5, p90: 9 });
    expect(summarize([4, 1, 3, 2])).toEqual({ count: 4, median: 2, p90: 4 });
    expect(summarize([42])).toEqual({ count: 1, median: 42, p90: 42 });
    expect(summarize([])).toEqual({ count: 0, median: null, p90: null });
    // 30 values: p90 is rank 27 exactly (no floating-point drift to 28).
    const thirty = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(nearestRank(thirty, 90)).toBe(27);
    expect(nearestRank(thirty, 50)).toBe(15);
  });

  it("agrees with the independent computation on many sizes", () => {
    for (let n = 1; n <= 250; n++) {
      const values = Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
      const sorted = [...values].sort((a, b) => a - b);
      for (const p of [50, 90]) expect(nearestRank(sorted, p)).toBe(expectedPercentile(values, p));
    }
  });
});

describe("aggregate over 300 generated postmortems in 3 repositories", () => {
  it("the fixture exercises every case", () => {
    expect(generated).toHaveLength(300);
    expect(complete.length).toBeGreaterThan(100);
    expect(inPeriod.length - complete.length).toBeGreaterThan(10);
    expect(inPrevious.filter((p) => p.defect === null).length).toBeGreaterThan(50);
    expect(generated.length - inPeriod.length - inPrevious.length).toBeGreaterThan(0);
    expect(inPeriod.some((p) => p.defect === "bad-started")).toBe(true);
    expect(new Set(complete.map((p) => p.repo))).toEqual(new Set(REPOS));
  });

  it("states the period, the method and the definitions in force, and notes that repositories disagree on ttr_from", () => {
    expect(aggregate.period).toEqual({ start: "2025-12-01T00:00:00Z", end: "2026-11-27T00:00:00Z" });
    expect(aggregate.previousPeriod).toEqual({ start: "2024-12-05T00:00:00Z", end: "2025-12-01T00:00:00Z" });
    expect(aggregate.percentileMethod).toBe("nearest-rank");
    expect(aggregate.percentileMethodDescription).toBe(PERCENTILE_METHOD_DESCRIPTION);
    expect(aggregate.definitions.TTD).toBe("time to detect = detected − impact started");
    expect(aggregate.definitions.TTR).toEqual([
      { ttrFrom: "started", definition: "time to recover = recovered − impact started", repos: ["acme/mobile", "acme/payments"] },
      { ttrFrom: "detected", definition: "time to recover = recovered − detected (metrics.ttr_from: detected)", repos: ["acme/platform"] },
    ]);
    expect(aggregate.ttrDefinitionsDisagree).toBe(true);
  });

  it("counts and figures match an independent computation from the known timestamps", () => {
    expect(aggregate.totals).toEqual({
      postmortems: inPeriod.length,
      complete: complete.length,
      incomplete: inPeriod.length - complete.length,
      open: inPeriod.filter((p) => p.state === "open").length,
      closed: inPeriod.filter((p) => p.state === "closed").length,
    });
    expectFigures(aggregate.overall, expectedStats(complete, (r) => TTR_FROM[r]!));
    // Concrete anchors, so a change in the generator cannot make both sides drift together unnoticed.
    expect(aggregate.overall.count).toBe(complete.length);
    expect(aggregate.overall.ttd.median).toBeGreaterThan(0);
    expect(aggregate.overall.ttd.p90!).toBeGreaterThanOrEqual(aggregate.overall.ttd.median!);
  });

  it("by severity", () => {
    expect(aggregate.bySeverity.map((g) => g.severity)).toEqual(["SEV1", "SEV2", "SEV3", "SEV4"]);
    for (const group of aggregate.bySeverity) {
      expectFigures(group, expectedStats(complete.filter((p) => p.severity === group.severity), (r) => TTR_FROM[r]!));
      expect(group.count).toBeGreaterThan(0);
    }
    expect(aggregate.bySeverity.reduce((sum, g) => sum + g.count, 0)).toBe(complete.length);
  });

  it("by month of impact start (UTC), the last 12 months", () => {
    expect(aggregate.months).toEqual([
      "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05",
      "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
    ]);
    for (const group of aggregate.byMonth) {
      expectFigures(group, expectedStats(complete.filter((p) => utcMonth(p.startedMs) === group.month), (r) => TTR_FROM[r]!));
    }
    expect(aggregate.byMonth.reduce((sum, g) => sum + g.count, 0)).toBe(complete.length);
  });

  it("trend against the previous period of the same length, with directions", () => {
    const previous = expectedStats(inPrevious.filter((p) => p.defect === null), (r) => TTR_FROM[r]!);
    expectFigures(aggregate.trend.previous, previous);
    const now = expectedStats(complete, (r) => TTR_FROM[r]!);
    const direction = (a: number, b: number) => (a > b ? "up" : a < b ? "down" : "flat");
    expect(aggregate.trend.count).toMatchObject({ current: now.count, previous: previous.count, delta: now.count - previous.count, direction: direction(now.count, previous.count) });
    for (const [key, metric] of [["ttdMedian", "ttd"], ["ttrMedian", "ttr"], ["ttmMedian", "ttm"]] as const) {
      const c = now[metric].median!;
      const p = previous[metric].median!;
      expect(aggregate.trend[key]).toEqual({ current: c, previous: p, delta: c - p, percent: Math.round(((c - p) / p) * 1000) / 10, direction: direction(c, p) });
    }
  });

  it("lists incomplete postmortems with their problem codes, out of every figure", () => {
    const expected = inPeriod
      .filter((p) => p.defect !== null)
      .sort((a, b) => a.repo.localeCompare(b.repo) || a.number - b.number)
      .map((p) => ({ repo: p.repo, number: p.number, problems: p.expectedProblems }));
    expect(aggregate.incomplete.map(({ repo, number, problems }) => ({ repo, number, problems }))).toEqual(expected);
    // A start that cannot be read places the postmortem by the issue's creation.
    const badStart = aggregate.rows.find((r) => r.problems.includes("timestamp-format") && r.startedAt === null)!;
    expect(badStart.placedBy).toBe("created");
    expect(badStart.placedAt).toBe(Date.parse(badStart.createdAt));
  });

  it("rows: every postmortem of the period, with ISO times and seconds", () => {
    expect(aggregate.rows).toHaveLength(inPeriod.length);
    const g = complete[0]!;
    const row = aggregate.rows.find((r) => r.repo === g.repo && r.number === g.number)!;
    expect(row).toMatchObject({
      complete: true,
      problems: [],
      severity: g.severity,
      startedAt: new Date(g.startedMs).toISOString().replace(".000Z", "Z"),
      ttdSeconds: (g.detectedMs - g.startedMs) / 1000,
      ttrFrom: TTR_FROM[g.repo],
    });
  });
});

describe("checking each postmortem", () => {
  const ROW_KEYS = [
    "repo", "number", "title", "url", "state", "createdAt", "severity", "startedAt", "detectedAt", "mitigatedAt", "recoveredAt",
    "ttdSeconds", "ttrSeconds", "ttmSeconds", "ttrFrom", "complete", "problems", "placedAt", "placedBy",
    "evaluatedLevel", "budget",
  ];

  it("is complete exactly when validatePostmortem finds nothing, with its problem codes once each, in its order", () => {
    const pms = generated.map(toIssue);
    const rows = evaluatePostmortems(pms, SETUPS, NOW);
    expect(rows.map((r) => r.number)).toEqual(pms.map((pm) => pm.number));
    pms.forEach((pm, i) => {
      const { config, form } = (SETUPS.get(pm.repo) as Extract<SetupResult, { ok: true }>).setup;
      const [owner, repo] = pm.repo.split("/") as [string, string];
      const v = validatePostmortem({ body: pm.body, form, config, now: NOW, home: { owner, repo } });
      expect(rows[i]!.complete).toBe(v.valid);
      expect(rows[i]!.problems).toEqual([...new Set(v.problems.map((p) => p.code))]);
    });
  });

  it("reports a repeated problem code once, in first-seen order", () => {
    const body = generated.find((g) => g.defect === null)!.body.replace(
      /(### Action items\r?\n\r?\n)[\s\S]*?(?=\r?\n\r?\n###)/,
      "$1- [ ] one owner: nobody-knows\n- [ ] two owner: also-unknown\n- [ ] three",
    );
    const pm = { ...toIssue(generated[0]!), repo: "acme/payments", body };
    const row = evaluatePostmortem(pm, SETUPS.get("acme/payments"), NOW);
    expect(row.problems).toEqual(["action-item-owner-unknown", "action-item-owner-missing"]);
    expect(row.complete).toBe(false);
  });

  it("builds rows with the same keys in the same order (the JSON's), whether the setup is usable or not", () => {
    const pm = toIssue(generated[0]!);
    const broken: SetupResult = { ok: false, problems: [{ file: "x", line: 1, message: "bad" }], config: null };
    expect(Object.keys(evaluatePostmortem(pm, SETUPS.get(pm.repo), NOW))).toEqual(ROW_KEYS);
    expect(Object.keys(evaluatePostmortem(pm, broken, NOW))).toEqual(ROW_KEYS);
    expect(evaluatePostmortem(pm, undefined, NOW)).toMatchObject({ complete: false, problems: ["setup-invalid"], placedBy: "created", ttrFrom: null });
  });

  it("finds a repository's setup whatever the case of its name", () => {
    const pms = [{ ...toIssue(generated.find((g) => g.defect === null && g.repo === "acme/platform")!), repo: "Acme/Platform" }];
    const [row] = evaluatePostmortems(pms, SETUPS, NOW);
    expect(row).toMatchObject({ repo: "Acme/Platform", ttrFrom: "detected", complete: true, problems: [] });
  });
});

describe("setups that disagree or are broken", () => {
  it("lists a repository whose config is broken, and counts its postmortems as incomplete (setup-invalid)", () => {
    const broken: SetupResult = { ok: false, problems: [{ file: "acme/legacy:.github/postmortem.yml", line: 3, message: "unknown key `lable`" }], config: null };
    const pms = generatePostmortems({ repos: ["acme/legacy", "acme/payments"], count: 10, now: NOW, seed: 5, spanDays: 200, defectEvery: 0 });
    const agg = buildAggregate(pms.map(toIssue), new Map([["acme/legacy", broken], ["acme/payments", setup({})]]), { now: NOW });
    expect(agg.incomplete.map((e) => `${e.repo}#${e.number} ${e.problems.join(",")}`)).toEqual([1, 2, 3, 4, 5].map((n) => `acme/legacy#${n} setup-invalid`));
    expect(agg.repos.find((r) => r.repo === "acme/legacy")).toMatchObject({ ok: false, incomplete: 5, setupProblems: broken.problems });
    expect(agg.totals.complete).toBe(5);
    expect(agg.ttrDefinitionsDisagree).toBe(false);
    expect(renderMarkdown(agg)).toContain("acme/legacy:.github/postmortem.yml:3: unknown key `lable`");
  });

  it("a --since period: by month from that month, previous period of the same length", () => {
    const agg = buildAggregate(generated.map(toIssue), SETUPS, { now: NOW, since: new Date("2026-06-15T00:00:00Z") });
    expect(agg.months).toEqual(["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]);
    const start = Date.parse("2026-06-15T00:00:00Z");
    expect(agg.previousPeriod.start).toBe(new Date(start - (NOW.getTime() - start)).toISOString().replace(".000Z", "Z"));
    const expected = generated.filter((p) => p.defect === null && p.startedMs >= start);
    expect(agg.overall.count).toBe(expected.length);
    expectFigures(agg.overall, expectedStats(expected, (r) => TTR_FROM[r]!));
  });
});

// ------------------------------------------------------------------ rendering

const HOSTILE_TITLE = '@alice broke | prod, "again" <!-- postmortem-bot:metrics -->';
function withHostileTitle(): PostmortemAggregate {
  const pms = generated.map(toIssue);
  const target = inPeriod.find((p) => p.defect !== null)!;
  const index = generated.indexOf(target);
  pms[index] = { ...pms[index]!, title: HOSTILE_TITLE };
  const formula = inPeriod.find((p) => p.defect === null)!;
  pms[generated.indexOf(formula)] = { ...pms[generated.indexOf(formula)]!, title: "=HYPERLINK(\"http://evil\")" };
  return buildAggregate(pms, SETUPS, { now: NOW });
}

describe("JSON", () => {
  const json = JSON.parse(renderJson(aggregate)) as ReportJson;

  it("has the documented shape", () => {
    expect(Object.keys(json)).toEqual([
      "version", "generated_at", "period", "previous_period", "months", "percentile_method", "percentile_method_description",
      "definitions", "ttr_definitions_disagree", "repos", "totals", "overall", "by_severity", "by_month", "trend", "incomplete", "error_budget", "levels",
      "postmortems",
    ]);
    expect(json.version).toBe(1);
    expect(json.percentile_method).toBe("nearest-rank");
    expect(json.definitions.ttr.map((d) => d.ttr_from)).toEqual(["started", "detected"]);
    expect(json.overall).toEqual({
      count: aggregate.overall.count,
      ttd_seconds: aggregate.overall.ttd,
      ttr_seconds: aggregate.overall.ttr,
      ttm_seconds: aggregate.overall.ttm,
    });
    expect(json.by_month).toHaveLength(12);
    expect(json.by_month[0]).toMatchObject({ month: "2025-12", count: aggregate.byMonth[0]!.count });
    expect(Object.keys(json.trend)).toEqual(["previous", "count", "ttd_median_seconds", "ttr_median_seconds", "ttm_median_seconds"]);
    expect(json.postmortems).toHaveLength(inPeriod.length);
    expect(Object.keys(json.postmortems[0]!)).toEqual([
      "repo", "number", "title", "url", "state", "severity", "started_at", "detected_at", "mitigated_at", "recovered_at",
      "ttd_seconds", "ttr_seconds", "ttm_seconds", "ttr_from", "complete", "problems", "evaluated_level", "budget",
    ]);
    expect(json.incomplete).toHaveLength(aggregate.incomplete.length);
  });
});

/** A small RFC 4180 reader, for the test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  row.push(field);
  rows.push(row);
  return rows;
}

describe("CSV", () => {
  const agg = withHostileTitle();
  const rows = parseCsv(renderCsv(agg));

  it("one row per postmortem of the period, with the documented columns", () => {
    expect(rows[0]).toEqual([
      "repo", "number", "title", "url", "severity", "started_at", "detected_at", "mitigated_at", "recovered_at",
      "ttd_seconds", "ttr_seconds", "ttm_seconds", "complete", "problems", "ttr_from", "evaluated_level", "budget_consumed",
    ]);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + inPeriod.length);
    for (const r of rows.slice(1)) expect(r).toHaveLength(CSV_COLUMNS.length);
    const g = complete[0]!;
    const line = rows.find((r) => r[0] === g.repo && r[1] === String(g.number))!;
    expect(line[9]).toBe(String((g.detectedMs - g.startedMs) / 1000));
    expect(line[12]).toBe("true");
    expect(line[13]).toBe("");
    expect(line[14]).toBe(TTR_FROM[g.repo]);
    const bad = rows.find((r) => r[12] === "false" && r[13] === "timestamp-order")!;
    expect(bad).toBeDefined();
  });

  it("quotes commas and quotes, and defuses spreadsheet formulas", () => {
    // It starts with `@`, which a spreadsheet reads as a formula.
    expect(rows.some((r) => r[2] === `'${HOSTILE_TITLE}`)).toBe(true);
    expect(rows.some((r) => r[2] === "'=HYPERLINK(\"http://evil\")")).toBe(true);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("-1+2", true)).toBe("'-1+2");
    expect(csvField(-5)).toBe("-5");
    expect(csvField(null)).toBe("");
  });
});

describe("markdown", () => {
  const agg = withHostileTitle();
  const md = renderMarkdown(agg, { marker: "<!-- postmortem-bot:metrics -->" });

  it("states the definitions, the percentile method and the disagreement on ttr_from beside the numbers", () => {
    expect(md.startsWith("<!-- postmortem-bot:metrics -->\n## Postmortem metrics\n")).toBe(true);
    expect(md).toContain(`| TTD | ${fmt(agg.overall.ttd.median)} | ${fmt(agg.overall.ttd.p90)} | ${agg.overall.ttd.count} | time to detect = detected − impact started |`);
    expect(md).toContain("nearest-rank percentiles");
    expect(md).toContain("> [!WARNING]");
    expect(md).toContain("time to recover = recovered − detected (metrics.ttr_from: detected) in `acme/platform`");
    expect(md).toContain(`**Period:** 2025-12-01 → 2026-11-27 (UTC)`);
    expect(md).toContain("Compared with the previous period of the same length, 2024-12-05 → 2025-12-01.");
    for (const g of agg.byMonth) expect(md).toContain(`| ${g.month} | ${g.count} | ${fmt(g.ttd.median)} | ${fmt(g.ttd.p90)} |`);
    expect(md).toContain(`### Incomplete postmortems (${agg.incomplete.length})`);
  });

  it("echoes titles without mentions, pipes or HTML", () => {
    const line = md.split("\n").find((l) => l.includes("broke"))!;
    expect(line).toContain("@\u200balice broke \\| prod, \"again\" &lt;!-- postmortem-bot:metrics --&gt;");
    expect(md).not.toMatch(/@alice/);
    // Still one marker: the title's copy is escaped.
    expect(md.split("<!-- postmortem-bot:metrics -->")).toHaveLength(2);
    // The table row keeps its three cells.
    expect(line.replace(/\\\|/g, "").split("|")).toHaveLength(5);
  });

  it("draws valid xychart-beta charts: count by severity, median TTR and TTD by month", () => {
    const charts = mermaidBlocks(md);
    expect(charts).toHaveLength(3);
    for (const chart of charts) expect(validateXyChart(chart)).toEqual([]);
    expect(charts[0]).toBe(
      [
        "xychart-beta",
        '    title "Complete postmortems by severity"',
        '    x-axis ["SEV1", "SEV2", "SEV3", "SEV4"]',
        '    y-axis "Postmortems"',
        `    bar [${agg.bySeverity.map((g) => g.count).join(", ")}]`,
      ].join("\n"),
    );
    const unit = charts[1]!.includes("(hours)") ? 3600 : charts[1]!.includes("(days)") ? 86_400 : 60;
    expect(charts[1]).toContain(`title "Median TTR by month (`);
    expect(charts[1]).toContain(`x-axis [${agg.months.map((m) => `"${m}"`).join(", ")}]`);
    expect(charts[1]).toContain(`bar [${agg.byMonth.map((g) => mermaidNumber((g.ttr.median ?? 0) / unit)).join(", ")}]`);
    expect(charts[2]).toContain(`title "Median TTD by month (`);
  });

  it("keeps chart labels quoted and data numeric whatever the severity names", () => {
    const chart = xyChart({ title: 'Say "hi" `now`\n%% not a comment', xLabels: ['SEV "1"', "", "a,b"], yLabel: "n", series: [{ kind: "bar", values: [1.005, Number.NaN, 1e21] }] });
    expect(validateXyChart(chart)).toEqual([]);
    expect(chart).toContain("title \"Say 'hi' 'now' % not a comment\"");
    expect(chart).toContain(`x-axis ["SEV '1'", "(none)", "a,b"]`);
    expect(chart).not.toMatch(/NaN|Infinity|e\+/);
    expect(() => xyChart({ title: "t", xLabels: ["a"], yLabel: "n", series: [{ kind: "bar", values: [1, 2] }] })).toThrow(RangeError);
  });

  it("the structural validator rejects what Mermaid's grammar rejects", () => {
    expect(validateXyChart('xychart-beta\n x-axis ["a", "b"]\n bar [1, 2]')).toEqual([]);
    expect(validateXyChart('xychart-beta\n x-axis [a b, "c"]\n bar [1, 2]')).not.toEqual([]);
    expect(validateXyChart('xychart-beta\n x-axis ["a", "b"]\n bar [1, NaN]')).not.toEqual([]);
    expect(validateXyChart('xychart-beta\n title "say "hi""\n x-axis ["a"]\n bar [1]')).not.toEqual([]);
    expect(validateXyChart('xychart-beta\n x-axis ["a", "b"]\n bar [1]')).not.toEqual([]);
    expect(validateXyChart('graph TD\n x-axis ["a"]\n bar [1]')).not.toEqual([]);
  });

  it("stays under GitHub's body limit by shortening the incomplete list", () => {
    const many = generatePostmortems({ repos: ["acme/big"], count: 1200, now: NOW, seed: 9, spanDays: 300, defectEvery: 2 });
    const agg = buildAggregate(many.map(toIssue), new Map([["acme/big", setup({})]]), { now: NOW });
    const text = renderMarkdown(agg, { maxChars: 20_000 });
    expect(text.length).toBeLessThanOrEqual(20_000);
    expect(text).toMatch(/… and \d+ more/);
  });
});

function fmt(seconds: number | null): string {
  if (seconds === null) return "—";
  // formatDuration, re-derived for the test's few cases (minutes and hours).
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (seconds < 60) return `${seconds}s`;
  const parts = d > 0 ? [`${d}d`, `${h}h`] : h > 0 ? [`${h}h`, `${m}m`] : [`${m}m`];
  return parts.filter((p) => !/^0[a-z]$/.test(p)).join(" ");
}
