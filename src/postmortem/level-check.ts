import type { Config, Level } from "../config/schema.js";
import type { ParsedBody } from "../form/body.js";
import type { FormField, FormSchema } from "../form/template.js";
import { fieldName } from "../i18n/format.js";
import { messagesOf } from "../i18n/index.js";
import { levels as levelsCatalog } from "../i18n/messages/levels.js";
import { evaluateBudget, largestConsumption, type BudgetEvaluation, type BudgetProblemCode } from "./error-budget.js";
import { incidentLevels, levelNamed, requiredFieldsOf, reviewDeadline, type LevelEvaluation, type ReviewDeadline } from "./levels.js";
import type { Timeline } from "./metrics.js";
import { quote } from "./text.js";

export type LevelProblemCode = "level-required" | BudgetProblemCode;

/** What a postmortem's level and error budget ask of it, and where it stands. */
export interface LevelAssessment {
  /** The level the severity answer names. */
  declared: Level | null;
  /** The re-evaluation (`/postmortem level`), when there is one. */
  evaluation: LevelEvaluation | null;
  /** The level whose rules apply: the evaluated one, else the declared one. */
  level: Level | null;
  /** The fields the level requires, and whether each is written. */
  required: { field: FormField; written: boolean }[];
  budget: BudgetEvaluation | null;
  review: ReviewDeadline | null;
}

export interface LevelCheckInput {
  parsed: ParsedBody;
  form: FormSchema;
  config: Config;
  timeline: Timeline;
  severity: string | null;
  evaluation?: LevelEvaluation | null;
}

/**
 * The level's rules and the budget figures of one postmortem, with the
 * problems they add: a field the level requires left empty (unless the form
 * requires it too, which the form check already reports), an unknown SLO, an
 * unreadable share or budget figure.
 */
export function checkLevel({ parsed, form, config, timeline, severity, evaluation = null }: LevelCheckInput): {
  assessment: LevelAssessment;
  problems: { field: string; code: LevelProblemCode; message: string }[];
} {
  const m = messagesOf(levelsCatalog, config.language);
  const declared = levelNamed(severity, { config, form });
  const evaluated = evaluation ? (incidentLevels({ config, form }).levels.find((l) => l.name.toLowerCase() === evaluation.level.toLowerCase()) ?? null) : null;
  const level = evaluated ?? declared;
  const problems: { field: string; code: LevelProblemCode; message: string }[] = [];

  const required = (level ? requiredFieldsOf(level, form, config) : []).map((field) => {
    const answer = parsed.answers.get(field.id);
    const written = answer !== undefined && !answer.empty;
    if (!written && !field.required) {
      problems.push({ field: field.id, code: "level-required", message: m.levelRequired(fieldName(field.label, config.language), level!.name, field.label) });
    }
    return { field, written };
  });

  const budget = evaluateBudget(parsed, form, config, timeline);
  for (const problem of budget?.problems ?? []) {
    const name = fieldName(problem.field.label, config.language);
    const values = problem.values.map((v) => quote(v)).join(", ");
    const message =
      problem.code === "unknown-slo"
        ? m.unknownSlo(name, values, config.slos.length > 0 ? config.slos.map((s) => quote(s.name)).join(", ") : m.noSlos)
        : problem.code === "share-invalid"
          ? m.shareInvalid(name, values)
          : m.budgetSpentInvalid(name, values);
    problems.push({ field: problem.field.id, code: problem.code, message });
  }

  return {
    assessment: {
      declared,
      evaluation,
      level,
      required,
      budget,
      review: reviewDeadline(level, timeline.recoveredAt, largestConsumption(budget), config),
    },
    problems,
  };
}
