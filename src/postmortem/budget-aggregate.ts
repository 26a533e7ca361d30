import { windowHours } from "../config/schema.js";
import { BUDGET_DEFINITION, roundPercent } from "./error-budget.js";

/**
 * Org-wide error budget and level figures over checked postmortems (see
 * aggregate.ts): budget consumed per SLO per window and per level, and how
 * often the evaluated level differs from the declared one. Pure.
 */

/** What one postmortem row contributes. */
export interface LevelRowFacts {
  /** The declared level (the severity answer). */
  severity: string | null;
  /** The level re-evaluated with `/postmortem level`, else null. */
  evaluatedLevel: string | null;
  /** Budget consumed per SLO it names, percent with one decimal. */
  budget: { slo: string; target: number; window: string; consumedPercent: number }[];
  placedAt: number;
}

export interface BudgetWindow {
  /** Inclusive, ISO. */
  start: string;
  /** Exclusive, ISO; the last window ends at the period's end (inclusive). */
  end: string;
  incidents: number;
  /** Sum of the incidents' figures, one decimal. */
  consumedPercent: number;
}

export interface SloBudgetFigures {
  slo: string;
  target: number;
  window: string;
  incidents: number;
  /** Windows of the SLO's length, oldest first, the last ending at the period's end. */
  windows: BudgetWindow[];
  /** By the level each incident counts at: evaluated, else declared, else `unspecified`. */
  byLevel: { level: string; incidents: number; consumedPercent: number }[];
}

export interface BudgetFigures {
  definition: string;
  slos: SloBudgetFigures[];
}

export interface LevelFigures {
  /** Postmortems counted (complete ones). */
  total: number;
  /** Re-evaluated with `/postmortem level`. */
  reevaluated: number;
  /** Re-evaluated to a level other than the declared one. */
  differ: number;
  /** Declared → evaluated pairs that differ, most frequent first. */
  changes: { declared: string; evaluated: string; count: number }[];
}

const UNSPECIFIED = "unspecified";
const HOUR = 3_600_000;

/** The level an incident counts at. */
export function effectiveLevel(row: Pick<LevelRowFacts, "severity" | "evaluatedLevel">): string {
  return row.evaluatedLevel ?? row.severity ?? UNSPECIFIED;
}

export function budgetFigures(rows: readonly LevelRowFacts[], period: { start: number; end: number }, levelOrder: readonly string[]): BudgetFigures {
  const bySlo = new Map<string, { slo: string; target: number; window: string; entries: { placedAt: number; level: string; percent: number }[] }>();
  for (const row of rows) {
    for (const b of row.budget) {
      const key = `${b.slo.toLowerCase()}|${b.target}|${b.window}`;
      let slo = bySlo.get(key);
      if (!slo) bySlo.set(key, (slo = { slo: b.slo, target: b.target, window: b.window, entries: [] }));
      slo.entries.push({ placedAt: row.placedAt, level: effectiveLevel(row), percent: b.consumedPercent });
    }
  }
  const slos = [...bySlo.values()]
    .sort((a, b) => a.slo.localeCompare(b.slo) || a.target - b.target)
    .map((slo): SloBudgetFigures => {
      const length = windowHours(slo.window) * HOUR;
      const windows: BudgetWindow[] = [];
      for (let end = period.end; end > period.start; end -= length) {
        const start = end - length;
        const inside = slo.entries.filter((e) => e.placedAt >= start && (end === period.end ? e.placedAt <= end : e.placedAt < end));
        windows.unshift({ start: iso(start), end: iso(end), incidents: inside.length, consumedPercent: sum(inside) });
      }
      const levels = [...levelOrder, ...new Set(slo.entries.map((e) => e.level).filter((l) => !levelOrder.includes(l)))];
      const byLevel = levels
        .map((level) => {
          const mine = slo.entries.filter((e) => e.level === level);
          return { level, incidents: mine.length, consumedPercent: sum(mine) };
        })
        .filter((l) => l.incidents > 0);
      return { slo: slo.slo, target: slo.target, window: slo.window, incidents: slo.entries.length, windows, byLevel };
    });
  return { definition: BUDGET_DEFINITION, slos };
}

export function levelFigures(rows: readonly Pick<LevelRowFacts, "severity" | "evaluatedLevel">[]): LevelFigures {
  const changes = new Map<string, { declared: string; evaluated: string; count: number }>();
  let reevaluated = 0;
  for (const row of rows) {
    if (row.evaluatedLevel === null) continue;
    reevaluated++;
    const declared = row.severity ?? UNSPECIFIED;
    if (declared.toLowerCase() === row.evaluatedLevel.toLowerCase()) continue;
    const key = `${declared}\u0000${row.evaluatedLevel}`;
    const entry = changes.get(key) ?? { declared, evaluated: row.evaluatedLevel, count: 0 };
    entry.count++;
    changes.set(key, entry);
  }
  const list = [...changes.values()].sort((a, b) => b.count - a.count || a.declared.localeCompare(b.declared) || a.evaluated.localeCompare(b.evaluated));
  return { total: rows.length, reevaluated, differ: list.reduce((n, c) => n + c.count, 0), changes: list };
}

function sum(entries: readonly { percent: number }[]): number {
  return roundPercent(entries.reduce((total, e) => total + e.percent, 0));
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}
