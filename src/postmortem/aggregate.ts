import type { Config } from "../config/schema.js";
import type { SetupResult } from "../config/setup.js";
import type { FileProblem } from "../form/yaml-source.js";
import { budgetFigures, levelFigures, type BudgetFigures, type LevelFigures, type LevelRowFacts } from "./budget-aggregate.js";
import { evaluatedLevelOf } from "./levels.js";
import { definitions } from "./metrics.js";
import { levelsOf } from "../form/roles.js";
import { validatePostmortem, type ProblemCode } from "./validate.js";

/**
 * Org-wide figures over many postmortems: TTD, TTR and TTM as median and p90
 * (never a mean), overall, by severity and by month, with the trend against
 * the previous period of the same length. Pure: the GitHub adapters
 * (src/github/postmortem-source.ts) fetch, this computes, report-render.ts
 * renders.
 *
 * Each postmortem is validated exactly as the app does (validatePostmortem
 * with its repository's config and form); only complete ones count in the
 * figures. Incomplete ones are listed with their problem codes.
 */

/** A postmortem issue as the report needs it (what the REST issue list gives). */
export interface PostmortemIssue {
  /** `owner/name` */
  repo: string;
  number: number;
  title: string;
  url: string;
  body: string;
  state: "open" | "closed";
  /** ISO time the issue was opened. */
  createdAt: string;
  labels: string[];
}

/** Setup of each repository, keyed by `owner/name` (any case). */
export type RepoSetups = ReadonlyMap<string, SetupResult>;

/** Problem code of a postmortem whose repository's config or form is broken (it cannot be checked). */
export const SETUP_PROBLEM = "setup-invalid";
export type RowProblemCode = ProblemCode | typeof SETUP_PROBLEM;
export type TtrFrom = Config["metrics"]["ttr_from"];

export const PERCENTILE_METHOD = "nearest-rank";
/** Stated beside every aggregate. */
export const PERCENTILE_METHOD_DESCRIPTION =
  "Nearest-rank percentiles: with the n values sorted in ascending order, the p-th percentile is the value at rank ⌈p × n / 100⌉ (1-based). " +
  "The median is the 50th percentile, so for an even n it is the lower of the two middle values; every figure is an observed value.";

/** One postmortem, checked: the CSV row and the unit every figure is made of. */
export interface PostmortemRow {
  repo: string;
  number: number;
  title: string;
  url: string;
  state: "open" | "closed";
  createdAt: string;
  severity: string | null;
  /** ISO instants (UTC) read from the timestamp fields; null when absent or invalid. */
  startedAt: string | null;
  detectedAt: string | null;
  mitigatedAt: string | null;
  recoveredAt: string | null;
  ttdSeconds: number | null;
  ttrSeconds: number | null;
  ttmSeconds: number | null;
  /** The repository's `metrics.ttr_from` (null when its setup is broken). */
  ttrFrom: TtrFrom | null;
  /** Passed every check of validatePostmortem. */
  complete: boolean;
  /** Distinct problem codes, in the order the check reports them. */
  problems: RowProblemCode[];
  /** Epoch ms that places the postmortem in a period and a month: impact start, else (unknown or invalid) the issue's creation. */
  placedAt: number;
  placedBy: "impact-started" | "created";
  /** The level set with `/postmortem level` (from its label); null when never re-evaluated. */
  evaluatedLevel: string | null;
  /** Error budget consumed per SLO the postmortem names, percent with one decimal (see error-budget.ts). */
  budget: LevelRowFacts["budget"];
}

export interface Stat {
  /** How many values (postmortems that have this metric). */
  count: number;
  /** Seconds; null when count is 0. */
  median: number | null;
  p90: number | null;
}

export interface GroupFigures {
  /** Complete postmortems in the group. */
  count: number;
  ttd: Stat;
  ttr: Stat;
  ttm: Stat;
}

export interface Change {
  current: number | null;
  previous: number | null;
  /** current − previous; null when either is missing. */
  delta: number | null;
  /** delta / previous × 100, one decimal; null when previous is 0 or missing. */
  percent: number | null;
  direction: "up" | "down" | "flat" | null;
}

export interface Period {
  /** Inclusive, ISO. */
  start: string;
  /** Exclusive for the previous period; `now` (inclusive) for the current one. ISO. */
  end: string;
}

export interface RepoSummary {
  repo: string;
  ok: boolean;
  ttrFrom: TtrFrom | null;
  /** Postmortems placed in the current period. */
  postmortems: number;
  complete: number;
  incomplete: number;
  /** The broken config or form (file, line, reason), when `ok` is false. */
  setupProblems: FileProblem[];
}

export interface TtrDefinition {
  ttrFrom: TtrFrom;
  definition: string;
  repos: string[];
}

export interface IncompleteEntry {
  repo: string;
  number: number;
  title: string;
  url: string;
  problems: RowProblemCode[];
}

export interface PostmortemAggregate {
  generatedAt: string;
  period: Period;
  previousPeriod: Period;
  /** Months shown by month (`YYYY-MM`, UTC), oldest first. */
  months: string[];
  percentileMethod: typeof PERCENTILE_METHOD;
  percentileMethodDescription: string;
  definitions: { TTD: string; TTM: string; TTR: TtrDefinition[] };
  /** True when the repositories in the figures measure TTR from different points (`metrics.ttr_from`). */
  ttrDefinitionsDisagree: boolean;
  repos: RepoSummary[];
  totals: { postmortems: number; complete: number; incomplete: number; open: number; closed: number };
  overall: GroupFigures;
  /** In the configs' order of levels, then `unspecified` (a form without a severity field). */
  bySeverity: (GroupFigures & { severity: string })[];
  byMonth: (GroupFigures & { month: string })[];
  trend: {
    previous: GroupFigures;
    count: Change;
    ttdMedian: Change;
    ttrMedian: Change;
    ttmMedian: Change;
  };
  /** Incomplete postmortems of the current period, left out of every figure. */
  incomplete: IncompleteEntry[];
  /** Every postmortem of the current period (complete or not), by placement then repository and number. */
  rows: PostmortemRow[];
  /** Error budget consumed by the complete postmortems, per SLO per window and per level. */
  budget: BudgetFigures;
  /** How often the evaluated level differs from the declared one, over the complete postmortems. */
  levels: LevelFigures;
}

export interface AggregateOptions {
  now: Date;
  /** Start of the period (inclusive). Default: the first day (UTC) of the month `months - 1` months before now's. */
  since?: Date;
  /** Months in the default period. Default: the largest `metrics.months` among the repositories' configs, else 12. */
  months?: number;
}

export const UNSPECIFIED_SEVERITY = "unspecified";

/** The value at nearest rank ⌈p × n / 100⌉ of ascending `sorted`; null when empty. `p` is an integer percentage. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  // p × n is an exact integer, so the division rounds only when the rank is not whole.
  const rank = Math.min(n, Math.max(1, Math.ceil((p * n) / 100)));
  return sorted[rank - 1]!;
}

export function summarize(values: readonly number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, median: nearestRank(sorted, 50), p90: nearestRank(sorted, 90) };
}

function repoKey(repo: string): string {
  return repo.toLowerCase();
}

export function setupFor(setups: RepoSetups, repo: string): SetupResult | undefined {
  return setups.get(repo) ?? setups.get(repoKey(repo)) ?? [...setups].find(([name]) => repoKey(name) === repoKey(repo))?.[1];
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/** `owner/name` as validatePostmortem's `home`. */
function homeOf(repo: string): { owner: string; repo: string } {
  const [owner = "", name = ""] = repo.split("/");
  return { owner, repo: name };
}

/** Checks one postmortem against its repository's setup, as the app does. */
export function evaluatePostmortem(pm: PostmortemIssue, setup: SetupResult | undefined, now: Date, home?: { owner: string; repo: string }): PostmortemRow {
  // One literal per row, keys in the JSON output's order: spreading a shared base into each row made checking 10,000 postmortems ~15% slower.
  if (!setup?.ok) {
    return {
      repo: pm.repo,
      number: pm.number,
      title: pm.title,
      url: pm.url,
      state: pm.state,
      createdAt: pm.createdAt,
      severity: null,
      startedAt: null,
      detectedAt: null,
      mitigatedAt: null,
      recoveredAt: null,
      ttdSeconds: null,
      ttrSeconds: null,
      ttmSeconds: null,
      ttrFrom: setup?.config?.metrics.ttr_from ?? null,
      complete: false,
      problems: [SETUP_PROBLEM],
      placedAt: Date.parse(pm.createdAt),
      placedBy: "created",
      evaluatedLevel: null,
      budget: [],
    };
  }
  const { config, form } = setup.setup;
  const evaluatedLevel = evaluatedLevelOf(pm.labels, setup.setup);
  const evaluation = evaluatedLevel === null ? null : { level: evaluatedLevel, by: "", at: "", reason: "" };
  const v = validatePostmortem({ body: pm.body, form, config, now, home: home ?? homeOf(pm.repo), evaluation });
  const { timeline, metrics } = v;
  const budget = v.level.budget;
  return {
    repo: pm.repo,
    number: pm.number,
    title: pm.title,
    url: pm.url,
    state: pm.state,
    createdAt: pm.createdAt,
    severity: v.severity,
    startedAt: iso(timeline.startedAt),
    detectedAt: iso(timeline.detectedAt),
    mitigatedAt: iso(timeline.mitigatedAt),
    recoveredAt: iso(timeline.recoveredAt),
    ttdSeconds: metrics.ttd.seconds,
    ttrSeconds: metrics.ttr.seconds,
    ttmSeconds: metrics.ttm.seconds,
    ttrFrom: config.metrics.ttr_from,
    complete: v.valid,
    problems: [...new Set(v.problems.map((p) => p.code))],
    placedAt: timeline.startedAt ?? Date.parse(pm.createdAt),
    placedBy: timeline.startedAt === undefined ? "created" : "impact-started",
    evaluatedLevel,
    budget: budget?.slos.flatMap((s) => (s.consumedPercent === null ? [] : [{ slo: s.name, target: s.target, window: s.window, consumedPercent: s.consumedPercent }])) ?? [],
  };
}

export function evaluatePostmortems(postmortems: readonly PostmortemIssue[], setups: RepoSetups, now: Date): PostmortemRow[] {
  // Setup and home are looked up once per repository, not once per postmortem.
  const byRepo = new Map<string, { setup: SetupResult | undefined; home: { owner: string; repo: string } }>();
  const rows: PostmortemRow[] = [];
  for (const pm of postmortems) {
    let repo = byRepo.get(pm.repo);
    if (!repo) {
      repo = { setup: setupFor(setups, pm.repo), home: homeOf(pm.repo) };
      byRepo.set(pm.repo, repo);
    }
    rows.push(evaluatePostmortem(pm, repo.setup, now, repo.home));
  }
  return rows;
}

/** Checks every postmortem and aggregates: the whole report. */
export function buildAggregate(postmortems: readonly PostmortemIssue[], setups: RepoSetups, options: AggregateOptions): PostmortemAggregate {
  return aggregateRows(evaluatePostmortems(postmortems, setups, options.now), setups, options);
}

/** `YYYY-MM` of an instant, in UTC. */
export function monthOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The report's periods: the current one ends at `now`; the previous one has the same length and ends where the current one starts. */
export function periods(options: AggregateOptions, months: number): { start: number; end: number; previousStart: number } {
  const end = options.now.getTime();
  const now = options.now;
  const start = options.since ? options.since.getTime() : Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1);
  return { start, end, previousStart: start - (end - start) };
}

function monthsBetween(start: number, end: number): string[] {
  const out: string[] = [];
  const s = new Date(start);
  let y = s.getUTCFullYear();
  let m = s.getUTCMonth();
  const last = monthOf(end);
  for (;;) {
    const label = `${y}-${String(m + 1).padStart(2, "0")}`;
    out.push(label);
    if (label >= last) break;
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

function figures(rows: readonly PostmortemRow[]): GroupFigures {
  const pick = (f: (r: PostmortemRow) => number | null) => rows.map(f).filter((x): x is number => x !== null);
  return {
    count: rows.length,
    ttd: summarize(pick((r) => r.ttdSeconds)),
    ttr: summarize(pick((r) => r.ttrSeconds)),
    ttm: summarize(pick((r) => r.ttmSeconds)),
  };
}

export function change(current: number | null, previous: number | null): Change {
  if (current === null || previous === null) return { current, previous, delta: null, percent: null, direction: null };
  const delta = current - previous;
  return {
    current,
    previous,
    delta,
    percent: previous === 0 ? null : Math.round((delta / previous) * 1000) / 10,
    direction: delta > 0 ? "up" : delta < 0 ? "down" : "flat",
  };
}

function byRowOrder(a: PostmortemRow, b: PostmortemRow): number {
  return a.placedAt - b.placedAt || a.repo.localeCompare(b.repo) || a.number - b.number;
}

/** Aggregates checked postmortems (see evaluatePostmortem). */
export function aggregateRows(allRows: readonly PostmortemRow[], setups: RepoSetups, options: AggregateOptions): PostmortemAggregate {
  const okConfigs = [...setups.values()].flatMap((s) => (s.ok ? [s.setup.config] : []));
  const monthCount = options.months ?? (okConfigs.length > 0 ? Math.max(...okConfigs.map((c) => c.metrics.months)) : 12);
  const { start, end, previousStart } = periods(options, monthCount);

  const current = allRows.filter((r) => r.placedAt >= start && r.placedAt <= end).sort(byRowOrder);
  const previous = allRows.filter((r) => r.placedAt >= previousStart && r.placedAt < start);
  const complete = current.filter((r) => r.complete);
  const previousComplete = previous.filter((r) => r.complete);

  // Severity levels in the configs' order (repositories sorted by name), then anything else seen, then unspecified.
  const levels: string[] = [];
  const sortedSetups = [...setups].sort(([a], [b]) => a.localeCompare(b));
  for (const [, s] of sortedSetups) if (s.ok) for (const level of levelsOf(s.setup)) if (!levels.includes(level)) levels.push(level);
  for (const r of complete) if (r.severity !== null && !levels.includes(r.severity)) levels.push(r.severity);
  const bySeverity = levels.map((severity) => ({ severity, ...figures(complete.filter((r) => r.severity === severity)) }));
  const unspecified = complete.filter((r) => r.severity === null);
  if (unspecified.length > 0) bySeverity.push({ severity: UNSPECIFIED_SEVERITY, ...figures(unspecified) });

  const monthList = monthsBetween(start, end);
  const byMonthRows = new Map<string, PostmortemRow[]>(monthList.map((m) => [m, []]));
  for (const r of complete) byMonthRows.get(monthOf(r.placedAt))?.push(r);
  const byMonth = monthList.map((month) => ({ month, ...figures(byMonthRows.get(month) ?? []) }));

  // Repositories: every one with a setup or a postmortem.
  const repoNames = new Map<string, string>();
  for (const [name] of sortedSetups) repoNames.set(repoKey(name), name);
  for (const r of allRows) if (!repoNames.has(repoKey(r.repo))) repoNames.set(repoKey(r.repo), r.repo);
  const repos: RepoSummary[] = [...repoNames.values()]
    .sort((a, b) => a.localeCompare(b))
    .map((repo) => {
      const setup = setupFor(setups, repo);
      const mine = current.filter((r) => repoKey(r.repo) === repoKey(repo));
      return {
        repo,
        ok: setup?.ok ?? false,
        ttrFrom: setup ? (setup.ok ? setup.setup.config.metrics.ttr_from : (setup.config?.metrics.ttr_from ?? null)) : null,
        postmortems: mine.length,
        complete: mine.filter((r) => r.complete).length,
        incomplete: mine.filter((r) => !r.complete).length,
        setupProblems: setup && !setup.ok ? setup.problems : [],
      };
    });

  // The TTR definitions in force: those of the repositories whose postmortems are in the figures (else of every readable config).
  const contributing = new Set([...complete, ...previousComplete].map((r) => repoKey(r.repo)));
  const defRepos = repos.filter((r) => r.ok && r.ttrFrom !== null && (contributing.size === 0 || contributing.has(repoKey(r.repo))));
  const ttrDefs: TtrDefinition[] = [];
  for (const from of ["started", "detected"] as const) {
    const names = defRepos.filter((r) => r.ttrFrom === from).map((r) => r.repo);
    if (names.length > 0) ttrDefs.push({ ttrFrom: from, definition: definitions(from).TTR, repos: names });
  }
  if (ttrDefs.length === 0) ttrDefs.push({ ttrFrom: "started", definition: definitions("started").TTR, repos: [] });
  const base = definitions("started");

  const overall = figures(complete);
  const previousFigures = figures(previousComplete);
  return {
    generatedAt: iso(end)!,
    period: { start: iso(start)!, end: iso(end)! },
    previousPeriod: { start: iso(previousStart)!, end: iso(start)! },
    months: monthList,
    percentileMethod: PERCENTILE_METHOD,
    percentileMethodDescription: PERCENTILE_METHOD_DESCRIPTION,
    definitions: { TTD: base.TTD, TTM: base.TTM, TTR: ttrDefs },
    ttrDefinitionsDisagree: ttrDefs.length > 1,
    repos,
    totals: {
      postmortems: current.length,
      complete: complete.length,
      incomplete: current.length - complete.length,
      open: current.filter((r) => r.state === "open").length,
      closed: current.filter((r) => r.state === "closed").length,
    },
    overall,
    bySeverity,
    byMonth,
    trend: {
      previous: previousFigures,
      count: change(overall.count, previousFigures.count),
      ttdMedian: change(overall.ttd.median, previousFigures.ttd.median),
      ttrMedian: change(overall.ttr.median, previousFigures.ttr.median),
      ttmMedian: change(overall.ttm.median, previousFigures.ttm.median),
    },
    incomplete: current
      .filter((r) => !r.complete)
      .sort((a, b) => a.repo.localeCompare(b.repo) || a.number - b.number)
      .map(({ repo, number, title, url, problems }) => ({ repo, number, title, url, problems })),
    rows: current,
    budget: budgetFigures(complete, { start, end }, levels),
    levels: levelFigures(complete),
  };
}
