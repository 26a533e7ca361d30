import type { Config } from "../config/schema.js";
import { parseBody, plainLabel, type Answer, type ParsedBody } from "../form/body.js";
import { rolesOf, type ResolvedRoles, type Role } from "../form/roles.js";
import type { FormField, FormSchema } from "../form/template.js";
import { fieldName } from "../i18n/format.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { validation as validationCatalog } from "../i18n/messages/validation.js";
import { checkActionItems, parseActionItems, type ActionItem, type ActionItemProblemCode } from "./action-items.js";
import { checkLevel, type LevelAssessment, type LevelProblemCode } from "./level-check.js";
import type { LevelEvaluation } from "./levels.js";
import { parseStatedDuration } from "./durations.js";
import { computeMetrics, type Metrics, type StatedDurations, type Timeline } from "./metrics.js";
import { quote } from "./text.js";
import { parseTimeRange, parseTimestamp, timestampFormats, type TimeRangeErrorCode, type TimestampErrorCode } from "./timestamps.js";

export type ProblemCode =
  | "not-a-form"
  | "missing-section"
  | "required"
  | "invalid-option"
  | "too-many-choices"
  | "checkbox-required"
  | "unknown-severity"
  | TimestampErrorCode
  | TimeRangeErrorCode
  | "duration-format"
  | "timestamp-future"
  | "timestamp-order"
  | ActionItemProblemCode
  | LevelProblemCode;

export interface Problem {
  /** Form field id, or null for a problem with the whole body. */
  field: string | null;
  code: ProblemCode;
  /** One sentence on what is wrong and how to fix it. Markdown; user text quoted and mention-safe. */
  message: string;
}

export interface Validation {
  valid: boolean;
  problems: Problem[];
  parsed: ParsedBody;
  timeline: Timeline;
  metrics: Metrics;
  severity: string | null;
  /** Action items as written, in order; empty when the form has no action-items field. */
  actionItems: ActionItem[];
  /** The incident's level, its rules and the error budget it consumed (see level-check.ts). */
  level: LevelAssessment;
  /** Which field played each role (the setup's, computed once per setup). */
  roles: ResolvedRoles;
}

export interface ValidateInput {
  body: string;
  form: FormSchema;
  config: Config;
  /** Timestamps later than this are in the future. */
  now: Date;
  /** The postmortem's repository: `#12` references and `@user` owners resolve against it. */
  home?: { owner: string; repo: string };
  /** The level set with `/postmortem level`, whose rules then apply instead of the declared level's. */
  evaluation?: LevelEvaluation | null;
}

const TIME_ROLES = ["started_at", "detected_at", "mitigated_at", "recovered_at"] as const;
type TimeRole = (typeof TIME_ROLES)[number];
const TIMELINE_KEY: Record<TimeRole, keyof Timeline> = {
  started_at: "startedAt",
  detected_at: "detectedAt",
  mitigated_at: "mitigatedAt",
  recovered_at: "recoveredAt",
};
const STATED: [Role, keyof StatedDurations][] = [
  ["time_to_detect", "ttd"],
  ["time_to_mitigate", "ttm"],
  ["time_to_recover", "ttr"],
];
/** The not-a-form problem names at most this many headings, however large the form. */
const HEADINGS_SHOWN = 20;

/** Validates a postmortem body against its form and config. Pure. */
export function validatePostmortem({ body, form, config, now, home = { owner: "", repo: "" }, evaluation = null }: ValidateInput): Validation {
  const language = config.language;
  const m = messagesOf(validationCatalog, language);
  const name = (field: FormField) => fieldName(field.label, language);
  const roles = rolesOf(form, config);
  const parsed = parseBody(body, form);
  const problems: Problem[] = [];
  const timeline: Timeline = {};
  const stated: StatedDurations = {};
  const done = (severity: string | null, actionItems: ActionItem[]): Validation => {
    const level = checkLevel({ parsed, form, config, timeline, severity, evaluation });
    problems.push(...level.problems);
    return {
      valid: problems.length === 0,
      problems,
      parsed,
      timeline,
      metrics: computeMetrics(timeline, config.metrics.ttr_from, stated, config.language),
      severity,
      actionItems,
      roles,
      level: level.assessment,
    };
  };

  if (!parsed.followsForm) {
    const headings = form.fields.slice(0, HEADINGS_SHOWN).map((f) => `\`### ${f.label}\``);
    if (form.fields.length > HEADINGS_SHOWN) headings.push(`… (${form.fields.length - HEADINGS_SHOWN})`);
    problems.push({ field: null, code: "not-a-form", message: m.notAForm(quote(form.name), headings.join(", ")) });
    return done(null, []);
  }

  for (const field of parsed.missing) {
    if (!field.required) continue;
    problems.push({ field: field.id, code: "missing-section", message: m.missingSection(name(field), field.label) });
  }

  for (const answer of parsed.answers.values()) problems.push(...checkAnswer(answer, name, m));

  const severity = checkSeverity(roles, parsed, problems, name, m);

  const present: { role: TimeRole; field: FormField; at: number }[] = [];
  const notFuture = (field: FormField, text: string, at: number): boolean => {
    if (at <= now.getTime()) return true;
    problems.push({ field: field.id, code: "timestamp-future", message: m.futureTimestamp(name(field), quote(text)) });
    return false;
  };
  const windowAnswer = answerFor("impact_window", roles, parsed);
  if (windowAnswer && !windowAnswer.empty && (roles.byRole.started_at.source === "window" || roles.byRole.recovered_at.source === "window")) {
    const range = parseTimeRange(windowAnswer.text, config.timezone, language);
    if (!range.ok) problems.push({ field: windowAnswer.field.id, code: range.code, message: m.badTimeRange(name(windowAnswer.field), range.reason) });
    else if (notFuture(windowAnswer.field, windowAnswer.text, range.end.epochMs)) {
      if (roles.byRole.started_at.source === "window") timeline.startedAt = range.start.epochMs;
      if (roles.byRole.recovered_at.source === "window") timeline.recoveredAt = range.end.epochMs;
    }
  }
  for (const role of TIME_ROLES) {
    const answer = answerFor(role, roles, parsed);
    if (roles.byRole[role].source === "window") {
      const at = timeline[TIMELINE_KEY[role]];
      if (answer && at !== undefined) present.push({ role, field: answer.field, at });
      continue;
    }
    if (!answer || answer.empty) continue;
    const result = parseTimestamp(answer.text, config.timezone, language);
    if (!result.ok) {
      problems.push({ field: answer.field.id, code: result.code, message: m.badTimestamp(name(answer.field), result.reason, timestampFormats(language)) });
      continue;
    }
    if (!notFuture(answer.field, answer.text, result.epochMs)) continue;
    timeline[TIMELINE_KEY[role]] = result.epochMs;
    present.push({ role, field: answer.field, at: result.epochMs });
  }
  for (let i = 1; i < present.length; i++) {
    const earlier = present[i - 1]!;
    const later = present[i]!;
    if (later.at < earlier.at) {
      const order = [...new Set(TIME_ROLES.map((role) => roles.byRole[role].field?.label).filter((label) => label !== undefined))].join(" ≤ ");
      problems.push({ field: later.field.id, code: "timestamp-order", message: m.timestampOrder(name(later.field), name(earlier.field), order) });
    }
  }

  for (const [role, key] of STATED) {
    const answer = answerFor(role, roles, parsed);
    if (!answer || answer.empty) continue;
    const result = parseStatedDuration(answer.text, language);
    if (result.ok) stated[key] = result.seconds;
    else problems.push({ field: answer.field.id, code: result.code, message: m.badDuration(name(answer.field), result.reason) });
  }

  let actionItems: ActionItem[] = [];
  const itemsAnswer = answerFor("action_items", roles, parsed);
  if (itemsAnswer && !itemsAnswer.empty) {
    const items = parseActionItems(itemsAnswer.raw, itemsAnswer.rawStart, home, config);
    actionItems = items.items;
    for (const problem of checkActionItems(items, config, home, itemsAnswer.field.label)) problems.push({ field: itemsAnswer.field.id, ...problem });
  }
  return done(severity, actionItems);
}

type ValidationMessages = (typeof validationCatalog)["byLanguage"][Language];

function checkAnswer(answer: Answer, name: (field: FormField) => string, m: ValidationMessages): Problem[] {
  const { field } = answer;
  if (answer.empty) return field.required ? [{ field: field.id, code: "required", message: m.required(name(field), howToFill(field, m)) }] : [];
  if (field.type === "dropdown") {
    const unknown = [...new Set(answer.choices.filter((choice) => !field.options.includes(choice)))];
    // One problem per field however many bad choices there are, so a pasted list cannot flood the comment.
    const problems: Problem[] =
      unknown.length === 0
        ? []
        : [{
            field: field.id,
            code: "invalid-option" as const,
            message: m.invalidOption(name(field), unknown.slice(0, 5).map((c) => quote(c)).join(", "), Math.max(0, unknown.length - 5), unknown.length, howToFill(field, m)),
          }];
    if (!field.multiple && answer.choices.length > 1) {
      problems.push({ field: field.id, code: "too-many-choices", message: m.tooManyChoices(name(field), answer.choices.length, answer.choices.map((c) => quote(c)).join(", ")) });
    }
    return problems;
  }
  if (field.type === "checkboxes") {
    return field.checkboxes
      .filter((option) => option.required && answer.checked.get(plainLabel(option.label)) !== true)
      .map((option) => ({ field: field.id, code: "checkbox-required" as const, message: m.checkboxRequired(name(field), quote(plainLabel(option.label), 80)) }));
  }
  return [];
}

function checkSeverity(roles: ResolvedRoles, parsed: ParsedBody, problems: Problem[], name: (field: FormField) => string, m: ValidationMessages): string | null {
  const answer = answerFor("severity", roles, parsed);
  if (!answer || answer.empty) return null;
  const value = answer.choices[0] ?? answer.text.trim();
  const level = knownSeverity(value, roles.levels);
  if (level) return level;
  if (!problems.some((p) => p.field === answer.field.id)) {
    problems.push({ field: answer.field.id, code: "unknown-severity", message: m.unknownSeverity(name(answer.field), quote(value), roles.levels.map((s) => `\`${s}\``).join(", ")) });
  }
  return null;
}

/** A value names a level when it equals it or starts with it and then a space or punctuation (`SEV1 - critical`). */
export function knownSeverity(value: string, levels: readonly string[]): string | null {
  const lower = value.trim().toLowerCase();
  for (const level of levels) {
    const l = level.toLowerCase();
    if (lower === l) return level;
    if (lower.startsWith(l) && /^[\s\p{P}]/u.test(lower.slice(l.length))) return level;
  }
  return null;
}

/** The answer of the field playing `role`, when the form has one and the body answers it. */
export function answerFor(role: Role, roles: ResolvedRoles, parsed: ParsedBody): Answer | undefined {
  const field = roles.byRole[role].field;
  return field ? parsed.answers.get(field.id) : undefined;
}

function howToFill(field: FormField, m: ValidationMessages): string {
  switch (field.type) {
    case "dropdown": {
      const options = field.options.map((o) => `\`${o}\``).join(", ");
      return field.multiple ? m.chooseFrom(options) : m.chooseOneOf(options);
    }
    case "checkboxes":
      return m.tickBoxes;
    default:
      return m.writeUnder(field.label);
  }
}
