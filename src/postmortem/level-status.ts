import { fieldName, formatDate } from "../i18n/format.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { levels as levelsCatalog } from "../i18n/messages/levels.js";
import type { BudgetEvaluation } from "./error-budget.js";
import type { LevelAssessment } from "./level-check.js";
import { neutralizeMentions, quote } from "./text.js";

export interface LevelSectionContext {
  language: Language;
  /** The config's `timezone`: business days and dates are on its calendar. */
  zone: string;
  /** The postmortem is published: its review is done. */
  published: boolean;
  /** `reviews.require_over_budget`, shown when it set the review deadline. */
  overBudgetThreshold: number | undefined;
  now: Date;
}

/**
 * The status comment's level and error budget sections: what the level asks
 * (required fields ✓/✗, the follow-up due window, the review deadline) and the
 * budget each named SLO lost, with its definition. Empty when there is nothing
 * to show (no level known and no SLO named).
 */
export function renderLevelSection(assessment: LevelAssessment, context: LevelSectionContext): string[] {
  const m = messagesOf(levelsCatalog, context.language);
  const { level, declared, evaluation, review } = assessment;
  const lines: string[] = [];
  if (level) {
    const heading = evaluation && declared && declared.name !== level.name ? m.levelHeadingEvaluated(level.name, declared.name) : m.levelHeading(level.name);
    lines.push(heading, "", neutralizeMentions(level.definition));
    if (evaluation) {
      const date = Number.isNaN(Date.parse(evaluation.at)) ? evaluation.at.slice(0, 10) : formatDate(Date.parse(evaluation.at), context.zone, context.language);
      lines.push("", m.evaluated(declared?.name ?? "—", evaluation.level, quote(evaluation.by, 40), date, quote(evaluation.reason, 200)));
    }
    lines.push("");
    for (const { field, written } of assessment.required) lines.push(`- [${written ? "x" : " "}] ${m.ruleField(fieldName(field.label, context.language))}`);
    lines.push(`- ${level.follow_up_due_business_days === undefined ? m.ruleFollowUpsNone : m.ruleFollowUps(level.follow_up_due_business_days)}`);
  }
  if (review) {
    const date = formatDate(review.endsAt, context.zone, context.language);
    const text = context.published
      ? m.ruleReviewDone
      : context.now.getTime() > review.endsAt
        ? `⚠️ ${m.ruleReviewOverdue(date)}`
        : review.because === "budget"
          ? m.ruleReviewBudget(date, review.businessDays, `${context.overBudgetThreshold ?? 0}%`)
          : m.ruleReview(date, review.businessDays);
    if (!level) lines.push(m.levelNone, "");
    lines.push(`- [${context.published ? "x" : " "}] ${text}`);
  } else if (level) {
    lines.push(`- ${level.review_within_business_days === undefined ? m.ruleReviewNone : m.ruleReviewNeedsRecovery}`);
  }
  if (lines.length > 0) lines.push("", `<sub>${m.businessDaysNote(context.zone)}</sub>`);
  const budget = assessment.budget ? renderBudget(assessment.budget, context) : [];
  if (budget.length > 0) lines.push(...(lines.length > 0 ? [""] : []), ...budget);
  return lines;
}

function renderBudget(budget: BudgetEvaluation, context: LevelSectionContext): string[] {
  const m = messagesOf(levelsCatalog, context.language);
  if (budget.slos.length === 0) return [];
  const lines = [m.budgetHeading, "", m.budgetColumns, "| --- | ---: | --- | ---: |"];
  for (const slo of budget.slos) {
    lines.push(`| ${neutralizeMentions(slo.name).replace(/\|/g, "\\|")} | ${slo.target}% | ${slo.window} | ${slo.consumedPercent === null ? m.budgetNeedsTimes : `${slo.consumedPercent}%`} |`);
  }
  lines.push("");
  const { shareField, spentField } = budget;
  lines.push(budget.shareGiven && shareField ? m.budgetShare(`${Math.round(budget.share * 1000) / 10}%`, fieldName(shareField.label, context.language)) : m.budgetShareAssumed);
  if (budget.stated !== null && spentField) lines.push(m.budgetStated(fieldName(spentField.label, context.language), `${budget.stated}%`));
  if (budget.disagreement && budget.stated !== null) {
    const computed = budget.slos.flatMap((s) => (s.consumedPercent === null ? [] : [`${s.consumedPercent}%`])).join(", ");
    lines.push("", "> [!WARNING]", `> ${m.budgetDisagreement(`${budget.stated}%`, computed)}`);
  }
  lines.push("", `<sub>${m.budgetDefinition}</sub>`);
  return lines;
}
