import type { Config, Level } from "../config/schema.js";
import type { FormField, FormSchema } from "../form/template.js";
import { levelsOf as severityLevels, rolesOf, ROLES, type Role } from "../form/roles.js";
import { addBusinessDays, calendarOf, type Deadline } from "./business-days.js";
import { knownSeverity } from "./validate.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { levels as levelsCatalog } from "../i18n/messages/levels.js";
import { setupMessages } from "../i18n/messages/setup.js";

/**
 * Incident levels and their rules. A repository's levels are its `levels:`
 * config, or, when it has none, one level per entry of `severities` with the
 * rules of the built-in level of the same rank: an org that renamed its
 * severities to P1…P4 keeps sensible rules without writing any.
 */
export const DEFAULT_LEVELS: readonly Omit<Level, "name">[] = [
  {
    definition: messagesOf(levelsCatalog, "en").builtInDefinition(0),
    required_fields: ["timeline", "root-causes"],
    follow_up_due_business_days: 20,
    review_within_business_days: 5,
  },
  {
    definition: messagesOf(levelsCatalog, "en").builtInDefinition(1),
    required_fields: ["timeline", "root-causes"],
    follow_up_due_business_days: 30,
    review_within_business_days: 10,
  },
  {
    definition: messagesOf(levelsCatalog, "en").builtInDefinition(2),
    required_fields: [],
    follow_up_due_business_days: 60,
  },
  {
    definition: messagesOf(levelsCatalog, "en").builtInDefinition(3),
    required_fields: [],
    follow_up_due_business_days: 90,
  },
];

export interface ResolvedLevels {
  levels: Level[];
  /** False when the levels come from `severities` and the built-in rules. */
  configured: boolean;
}

/** The repository's config and form: the severities come from either (see `levelsOf` in form/roles.ts). */
export interface LevelSetup {
  config: Config;
  form: FormSchema;
}

export function incidentLevels(setup: LevelSetup): ResolvedLevels {
  if (setup.config.levels) return { levels: setup.config.levels, configured: true };
  const last = DEFAULT_LEVELS[DEFAULT_LEVELS.length - 1]!;
  return {
    levels: severityLevels(setup).map((name, rank) => {
      const rules = DEFAULT_LEVELS[rank] ?? last;
      return { name, ...rules, definition: messagesOf(levelsCatalog, setup.config.language).builtInDefinition(rank), required_fields: [...rules.required_fields] };
    }),
    configured: false,
  };
}

/** The level a severity answer names (`SEV1 - critical` names SEV1), or null. */
export function levelNamed(value: string | null, setup: LevelSetup): Level | null {
  if (value === null) return null;
  const { levels } = incidentLevels(setup);
  const name = knownSeverity(value, levels.map((l) => l.name));
  return name === null ? null : (levels.find((l) => l.name === name) ?? null);
}

/**
 * The form fields a level requires. An entry is a field id, a role name
 * (`recovered_at`) or a field label. Entries of the built-in levels that the
 * form lacks are skipped: nothing is demanded that the form never asked for.
 * A configured entry the form lacks is a config problem (see levelConfigProblems).
 */
export function requiredFieldsOf(level: Level, form: FormSchema, config: Config): FormField[] {
  const fields: FormField[] = [];
  for (const entry of level.required_fields) {
    const field = fieldFor(entry, form, config);
    if (field && !fields.includes(field)) fields.push(field);
  }
  return fields;
}

function fieldFor(entry: string, form: FormSchema, config: Config): FormField | undefined {
  const byId = form.byId.get(entry);
  if (byId) return byId;
  if ((ROLES as readonly string[]).includes(entry)) return rolesOf(form, config).byRole[entry as Role].field ?? undefined;
  const label = entry.trim().toLowerCase();
  return form.fields.find((f) => f.label.toLowerCase() === label);
}

/** A problem in the levels part of the config, at a path of the config file (mapped to a line by the loader). */
export interface ConfigPathProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Checks configured levels against the form and the severities: a required
 * field the form does not have, a level that no severity answer can name.
 * Built-in levels are never a problem.
 */
export function levelConfigProblems(config: Config, form: FormSchema, language: Language = config.language): ConfigPathProblem[] {
  const m = messagesOf(setupMessages, language);
  const { levels, configured } = incidentLevels({ config, form });
  if (!configured) return [];
  const problems: ConfigPathProblem[] = [];
  const severities = severityLevels({ config, form });
  const severityField = rolesOf(form, config).byRole.severity.field;
  levels.forEach((level, i) => {
    level.required_fields.forEach((entry, j) => {
      if (!fieldFor(entry, form, config)) {
        problems.push({
          path: ["levels", i, "required_fields", j],
          message: m.levelRequiresUnknown(level.name, entry, form.file, form.fields.map((f) => f.id)),
        });
      }
    });
    if (knownSeverity(level.name, severities) === null) {
      problems.push({
        path: ["levels", i, "name"],
        message: m.levelNotSeverity(level.name, severities, config.severities !== undefined, form.file),
      });
    } else if (severityField?.type === "dropdown" && !severityField.options.some((option) => knownSeverity(option, [level.name]) !== null)) {
      problems.push({
        path: ["levels", i, "name"],
        message: m.levelNotOption(level.name, severityField.label, severityField.options, form.file),
      });
    }
  });
  return problems;
}

/** The level as re-evaluated after the fact, kept in the status comment's hidden state. */
export interface LevelEvaluation {
  level: string;
  by: string;
  /** ISO instant. */
  at: string;
  reason: string;
}

export function readLevelEvaluation(state: Record<string, unknown> | null): LevelEvaluation | null {
  const value = state?.levelEvaluation as Partial<LevelEvaluation> | undefined;
  if (!value || typeof value !== "object" || typeof value.level !== "string") return null;
  return { level: value.level, by: String(value.by ?? ""), at: String(value.at ?? ""), reason: String(value.reason ?? "") };
}

/** `/postmortem level SEV2 <reason>`: the level must be known, and a reason is required so the report can say why. */
export function parseLevelCommand(
  args: readonly string[],
  setup: LevelSetup,
): { ok: true; level: Level; reason: string } | { ok: false; error: "no-level" | "unknown-level" | "no-reason"; names: string[] } {
  const { levels } = incidentLevels(setup);
  const names = levels.map((l) => l.name);
  const [name, ...reason] = args;
  if (name === undefined) return { ok: false, error: "no-level", names };
  const level = levels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  if (!level) return { ok: false, error: "unknown-level", names };
  const why = reason.join(" ").trim();
  if (why === "") return { ok: false, error: "no-reason", names };
  return { ok: true, level, reason: why.slice(0, 500) };
}

/** Why a postmortem has a review deadline: its level sets one, or it consumed more budget than `reviews.require_over_budget`. */
export interface ReviewDeadline extends Deadline {
  because: "level" | "budget";
  businessDays: number;
}

/**
 * The review deadline: recovery + the level's `review_within_business_days`;
 * else, for an incident over `reviews.require_over_budget`, recovery +
 * `reviews.over_budget_within_business_days`. Null without a recovery time.
 */
export function reviewDeadline(
  level: Level | null,
  recoveredAt: number | undefined,
  consumedPercent: number | null,
  config: Pick<Config, "reviews" | "timezone" | "holidays">,
): ReviewDeadline | null {
  if (recoveredAt === undefined) return null;
  const threshold = config.reviews.require_over_budget;
  const overBudget = threshold !== undefined && consumedPercent !== null && consumedPercent > threshold;
  const fromLevel = level?.review_within_business_days;
  const days = fromLevel ?? (overBudget ? config.reviews.over_budget_within_business_days : undefined);
  if (days === undefined) return null;
  return { ...addBusinessDays(recoveredAt, days, calendarOf(config)), because: fromLevel !== undefined ? "level" : "budget", businessDays: days };
}

/** Due date (`YYYY-MM-DD`) of a follow-up filed at `publishedAt` for an item without `due:`; null when the level sets no window. */
export function followUpDueDate(level: Level | null, publishedAt: number, config: Pick<Config, "timezone" | "holidays">): string | null {
  const days = level?.follow_up_due_business_days;
  return days === undefined ? null : addBusinessDays(publishedAt, days, calendarOf(config)).date;
}

/** The label that carries the evaluated level. */
export function evaluatedLevelLabel(level: string, config: Pick<Config, "labels">): string {
  return `${config.labels.evaluated_level}${level}`;
}

/** The evaluated level its label names, when it names a level of the config. */
export function evaluatedLevelOf(labels: readonly string[], setup: LevelSetup): string | null {
  const prefix = setup.config.labels.evaluated_level.toLowerCase();
  const names = incidentLevels(setup).levels.map((l) => l.name);
  for (const label of labels) {
    if (!label.toLowerCase().startsWith(prefix)) continue;
    const name = label.slice(prefix.length).trim().toLowerCase();
    const level = names.find((n) => n.toLowerCase() === name);
    if (level) return level;
  }
  return null;
}
