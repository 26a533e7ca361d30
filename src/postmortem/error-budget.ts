import { windowHours, type Config, type Slo } from "../config/schema.js";
import type { ParsedBody } from "../form/body.js";
import { rolesOf } from "../form/roles.js";
import type { FormField, FormSchema } from "../form/template.js";
import type { Timeline } from "./metrics.js";

/**
 * The error budget an incident consumed, per SLO it names:
 *   consumed = impact duration × share affected ÷ (window × (1 − target))
 * with impact duration = recovered − impact started (whatever `metrics.ttr_from`
 * says: the budget burns from the first affected request). 20 minutes at 100 %
 * of a 99.9 % / 30-day SLO: 20 ÷ (43,200 × 0.001) = 20 ÷ 43.2 = 46.3 %.
 */
export const BUDGET_DEFINITION = "budget consumed = impact duration × share affected ÷ (SLO window × (1 − target)); impact duration = recovered − impact started";

export type BudgetField = "slo" | "share" | "spent";

const BUDGET_ROLE = { slo: "slos", share: "affected_share", spent: "budget_spent" } as const;

/** The field playing a budget role: configured in `fields:` or inferred from the form (src/form/roles.ts). */
export function budgetField(role: BudgetField, form: FormSchema, config: Config): FormField | undefined {
  return rolesOf(form, config).byRole[BUDGET_ROLE[role]].field ?? undefined;
}

/** `25%`, `25 %`, `0.25`, `25`: a number with `%` is a percentage; without, at most 1 is a fraction, above 1 a percentage. */
export function parseShare(text: string): { ok: true; share: number } | { ok: false } {
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*(%|％)?$/.exec(text.trim());
  if (!match) return { ok: false };
  const value = Number(match[1]);
  const share = match[2] !== undefined || value > 1 ? value / 100 : value;
  return share > 0 && share <= 1 ? { ok: true, share } : { ok: false };
}

/** A stated budget spent, in percent: `46%`, `46.3 %`, `46`. */
export function parsePercent(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(%|％)?$/.exec(text.trim());
  return match ? Number(match[1]) : null;
}

/** Percent of the SLO's budget that `impactSeconds` at `share` consumed. */
export function budgetConsumed(impactSeconds: number, share: number, slo: Pick<Slo, "target" | "window">): number {
  const budgetSeconds = windowHours(slo.window) * 3600 * (1 - slo.target / 100);
  return ((impactSeconds * share) / budgetSeconds) * 100;
}

/** One decimal, as shown everywhere. */
export function roundPercent(percent: number): number {
  return Math.round(percent * 10) / 10;
}

/**
 * A stated figure disagrees with the computed ones when it is off from every
 * one of them by more than 10 percentage points or by more than a factor of 2.
 */
export function disagrees(stated: number, computed: readonly number[]): boolean {
  if (computed.length === 0) return false;
  return computed.every((c) => Math.abs(stated - c) > 10 || Math.max(stated, c) > 2 * Math.min(stated, c));
}

export interface SloConsumption {
  name: string;
  target: number;
  window: string;
  /** Percent of the budget, one decimal; null without an impact duration. */
  consumedPercent: number | null;
}

export type BudgetProblemCode = "unknown-slo" | "share-invalid" | "budget-spent-invalid";

export interface BudgetProblem {
  field: FormField;
  code: BudgetProblemCode;
  /** The text as written (to quote), or the unknown SLO names. */
  values: string[];
}

export interface BudgetEvaluation {
  /** recovered − impact started, seconds; null when either is missing. */
  impactSeconds: number | null;
  share: number;
  /** False when the form has no share field or it was left empty (100 % assumed). */
  shareGiven: boolean;
  /** The fields read for the share and the stated budget spent, for naming them. */
  shareField: FormField | null;
  spentField: FormField | null;
  slos: SloConsumption[];
  /** A stated "budget spent", in percent. */
  stated: number | null;
  /** The stated figure is far from every computed one (see `disagrees`). */
  disagreement: boolean;
  problems: BudgetProblem[];
}

/** The budget figures of one postmortem; null when it names no SLO (or the config has none). */
export function evaluateBudget(parsed: ParsedBody, form: FormSchema, config: Config, timeline: Timeline): BudgetEvaluation | null {
  const sloField = budgetField("slo", form, config);
  const sloAnswer = sloField ? parsed.answers.get(sloField.id) : undefined;
  if (!sloField || !sloAnswer || sloAnswer.empty || config.slos.length === 0) return null;
  const problems: BudgetProblem[] = [];

  const written = sloAnswer.choices.length > 0 ? sloAnswer.choices : splitNames(sloAnswer.text);
  const named: Slo[] = [];
  const unknown: string[] = [];
  for (const name of written) {
    const slo = config.slos.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!slo) unknown.push(name);
    else if (!named.includes(slo)) named.push(slo);
  }
  if (unknown.length > 0) problems.push({ field: sloField, code: "unknown-slo", values: unknown });

  let share = 1;
  let shareGiven = false;
  const shareField = budgetField("share", form, config);
  const shareAnswer = shareField ? parsed.answers.get(shareField.id) : undefined;
  if (shareField && shareAnswer && !shareAnswer.empty) {
    const result = parseShare(shareAnswer.text);
    if (result.ok) {
      share = result.share;
      shareGiven = true;
    } else problems.push({ field: shareField, code: "share-invalid", values: [shareAnswer.text] });
  }

  const { startedAt, recoveredAt } = timeline;
  const impactSeconds = startedAt !== undefined && recoveredAt !== undefined && recoveredAt >= startedAt ? Math.round((recoveredAt - startedAt) / 1000) : null;
  const slos = named.map((slo) => ({
    name: slo.name,
    target: slo.target,
    window: slo.window,
    consumedPercent: impactSeconds === null ? null : roundPercent(budgetConsumed(impactSeconds, share, slo)),
  }));

  let stated: number | null = null;
  const spentField = budgetField("spent", form, config);
  const spentAnswer = spentField ? parsed.answers.get(spentField.id) : undefined;
  if (spentField && spentAnswer && !spentAnswer.empty) {
    stated = parsePercent(spentAnswer.text);
    if (stated === null) problems.push({ field: spentField, code: "budget-spent-invalid", values: [spentAnswer.text] });
  }
  const computed = slos.flatMap((s) => (s.consumedPercent === null ? [] : [s.consumedPercent]));
  return { impactSeconds, share, shareGiven, shareField: shareField ?? null, spentField: spentField ?? null, slos, stated, disagreement: stated !== null && disagrees(stated, computed), problems };
}

/** SLO names written as a list: one a line, or separated by commas (`,`, `、`) or semicolons; list markers dropped. */
function splitNames(text: string): string[] {
  return text
    .split(/[\n,;、]/)
    .map((part) => part.replace(/^\s*(?:[-*+]|\d+\.)\s+/, "").trim())
    .filter((part) => part !== "" && part !== "_No response_");
}

/** The largest share of any SLO's budget consumed, for `reviews.require_over_budget`. */
export function largestConsumption(budget: BudgetEvaluation | null): number | null {
  const values = budget?.slos.flatMap((s) => (s.consumedPercent === null ? [] : [s.consumedPercent])) ?? [];
  return values.length === 0 ? null : Math.max(...values);
}
