import type { Config, FieldRole } from "../config/schema.js";
import { parseBody, plainLabel, type Answer, type ParsedBody } from "../form/body.js";
import type { FormField, FormSchema } from "../form/template.js";
import { checkActionItems, parseActionItems, type ActionItem, type ActionItemProblemCode } from "./action-items.js";
import { checkLevel, type LevelAssessment, type LevelProblemCode } from "./level-check.js";
import type { LevelEvaluation } from "./levels.js";
import { computeMetrics, type Metrics, type Timeline } from "./metrics.js";
import { quote } from "./text.js";
import { parseTimestamp, TIMESTAMP_FORMATS, type TimestampErrorCode } from "./timestamps.js";

export type ProblemCode =
  | "not-a-form"
  | "missing-section"
  | "required"
  | "invalid-option"
  | "too-many-choices"
  | "checkbox-required"
  | "unknown-severity"
  | TimestampErrorCode
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

/** Validates a postmortem body against its form and config. Pure. */
export function validatePostmortem({ body, form, config, now, home = { owner: "", repo: "" }, evaluation = null }: ValidateInput): Validation {
  const parsed = parseBody(body, form);
  const problems: Problem[] = [];
  const timeline: Timeline = {};

  if (!parsed.followsForm) {
    problems.push({
      field: null,
      code: "not-a-form",
      message:
        `This issue does not follow the postmortem form: none of its \`###\` headings matches a field of ${quote(form.name)}. ` +
        `Open postmortems from the form (New issue → ${quote(form.name)}), or give the body the form's headings: ` +
        form.fields.map((f) => `\`### ${f.label}\``).join(", ") +
        ".",
    });
    return finish(problems, parsed, timeline, config, null, [], checkLevel({ parsed, form, config, timeline, severity: null, evaluation }).assessment);
  }

  for (const field of parsed.missing) {
    if (!field.required) continue;
    problems.push({
      field: field.id,
      code: "missing-section",
      message: `${name(field)} is missing: the body has no \`### ${field.label}\` heading (renamed or deleted?). Add the heading back, exactly as written here, with the answer below it.`,
    });
  }

  for (const answer of parsed.answers.values()) problems.push(...checkAnswer(answer));

  const severity = checkSeverity(form, config, parsed, problems);
  const present: { role: TimeRole; field: FormField; at: number }[] = [];
  for (const role of TIME_ROLES) {
    const answer = answerFor(role, form, config, parsed);
    if (!answer || answer.empty) continue;
    const result = parseTimestamp(answer.text, config.timezone);
    if (!result.ok) {
      problems.push({
        field: answer.field.id,
        code: result.code,
        message: `${name(answer.field)}: ${result.reason}. Write it as ${TIMESTAMP_FORMATS}.`,
      });
      continue;
    }
    if (result.epochMs > now.getTime()) {
      problems.push({
        field: answer.field.id,
        code: "timestamp-future",
        message: `${name(answer.field)} (${quote(answer.text)}) is in the future. Check the date, the time and the zone.`,
      });
      continue;
    }
    timeline[TIMELINE_KEY[role]] = result.epochMs;
    present.push({ role, field: answer.field, at: result.epochMs });
  }
  for (let i = 1; i < present.length; i++) {
    const earlier = present[i - 1]!;
    const later = present[i]!;
    if (later.at < earlier.at) {
      problems.push({
        field: later.field.id,
        code: "timestamp-order",
        message:
          `${name(later.field)} is earlier than ${name(earlier.field)}. ` +
          `Times must be in order: ${TIME_ROLES.map((role) => roleLabel(role, form, config)).filter(Boolean).join(" ≤ ")}; check dates and zones.`,
      });
    }
  }

  let actionItems: ActionItem[] = [];
  const itemsAnswer = answerFor("action_items", form, config, parsed);
  if (itemsAnswer && !itemsAnswer.empty) {
    const items = parseActionItems(itemsAnswer.raw, itemsAnswer.rawStart, home);
    actionItems = items.items;
    for (const problem of checkActionItems(items, config, home, itemsAnswer.field.label)) problems.push({ field: itemsAnswer.field.id, ...problem });
  }
  const level = checkLevel({ parsed, form, config, timeline, severity, evaluation });
  problems.push(...level.problems);
  return finish(problems, parsed, timeline, config, severity, actionItems, level.assessment);
}

function finish(
  problems: Problem[],
  parsed: ParsedBody,
  timeline: Timeline,
  config: Config,
  severity: string | null,
  actionItems: ActionItem[],
  level: LevelAssessment,
): Validation {
  return {
    valid: problems.length === 0,
    problems,
    parsed,
    timeline,
    metrics: computeMetrics(timeline, config.metrics.ttr_from),
    severity,
    actionItems,
    level,
  };
}

function checkAnswer(answer: Answer): Problem[] {
  const { field } = answer;
  if (answer.empty) {
    return field.required ? [{ field: field.id, code: "required", message: `${name(field)} is required but empty. ${howToFill(field)}` }] : [];
  }
  if (field.type === "dropdown") {
    const unknown = [...new Set(answer.choices.filter((choice) => !field.options.includes(choice)))];
    // One problem per field however many bad choices there are, so a pasted list cannot flood the comment.
    const problems: Problem[] = unknown.length === 0 ? [] : [{
      field: field.id,
      code: "invalid-option" as const,
      message: `${name(field)}: ${unknown.slice(0, 5).map((c) => quote(c)).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""} ${unknown.length === 1 ? "is" : "are"} not among the form's options. ${howToFill(field)}`,
    }];
    if (!field.multiple && answer.choices.length > 1) {
      problems.push({
        field: field.id,
        code: "too-many-choices",
        message: `${name(field)} takes one choice but has ${answer.choices.length}: ${answer.choices.map((c) => quote(c)).join(", ")}. Keep one.`,
      });
    }
    return problems;
  }
  if (field.type === "checkboxes") {
    return field.checkboxes
      .filter((option) => option.required && answer.checked.get(plainLabel(option.label)) !== true)
      .map((option) => ({
        field: field.id,
        code: "checkbox-required" as const,
        message: `${name(field)}: ${quote(plainLabel(option.label), 80)} must be ticked. Tick it with \`- [x]\`.`,
      }));
  }
  return [];
}

function checkSeverity(form: FormSchema, config: Config, parsed: ParsedBody, problems: Problem[]): string | null {
  const answer = answerFor("severity", form, config, parsed);
  if (!answer || answer.empty) return null;
  const value = answer.choices[0] ?? answer.text.trim();
  const level = knownSeverity(value, config.severities);
  if (level) return level;
  if (!problems.some((p) => p.field === answer.field.id)) {
    problems.push({
      field: answer.field.id,
      code: "unknown-severity",
      message: `${name(answer.field)}: ${quote(value)} is not a known severity. Use one of ${config.severities.map((s) => `\`${s}\``).join(", ")}, or add it to \`severities\` in .github/postmortem.yml.`,
    });
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

export function answerFor(role: FieldRole, form: FormSchema, config: Config, parsed: ParsedBody): Answer | undefined {
  const id = config.fields[role];
  return form.byId.has(id) ? parsed.answers.get(id) : undefined;
}

function roleLabel(role: FieldRole, form: FormSchema, config: Config): string | null {
  const field = form.byId.get(config.fields[role]);
  return field ? field.label : null;
}

function name(field: FormField): string {
  return `**${field.label}**`;
}

function howToFill(field: FormField): string {
  switch (field.type) {
    case "dropdown":
      return `Choose ${field.multiple ? "from" : "one of"} ${field.options.map((o) => `\`${o}\``).join(", ")}.`;
    case "checkboxes":
      return "Tick the boxes that apply.";
    default:
      return `Write it under the \`### ${field.label}\` heading (replace \`_No response_\`).`;
  }
}
