import { parseArgs } from "node:util";
import { languageOfConfigText, mergeConfigLayers, parseConfigFile, resolveConfig } from "../config/load.js";
import { defaultConfig, type Config } from "../config/schema.js";
import { configAgainstForm, defaultForm, type ConfigFile } from "../config/setup.js";
import type { Answer } from "../form/body.js";
import { parseForm, type FormSchema } from "../form/template.js";
import type { FileProblem } from "../form/yaml-source.js";
import { formatDuration } from "../i18n/format.js";
import { isLanguage, messagesOf, type Language } from "../i18n/index.js";
import { cliMessages } from "../i18n/messages/cli.js";
import { metricBases, renderFieldsUsed } from "../postmortem/fields-used.js";
import { BUDGET_DEFINITION, type BudgetEvaluation } from "../postmortem/error-budget.js";
import type { LevelAssessment } from "../postmortem/level-check.js";
import { renderLevelSection } from "../postmortem/level-status.js";
import { validatePostmortem, type Validation } from "../postmortem/validate.js";
import { readText, UsageError, type CliIO } from "./io.js";

export const LINT_USAGE =
  "usage: postmortem-bot lint <body.md> [--template <form.yml>] [--config <postmortem.yml>] [--now <ISO time>] [--format text|json] [--lang en|ja]";

/**
 * Exit codes: 0 valid, 1 problems found, 2 usage error or unreadable/invalid template or config.
 *
 * Everything lint writes (problems, metrics, the fields used, the level, its own
 * errors) is in `--lang`, else the language of the config it reads (a broken
 * config's `language:` too, read best-effort), else English. The JSON's keys and
 * codes stay as they are; its problem messages follow the language.
 */
export async function lint(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      template: { type: "string" },
      config: { type: "string" },
      now: { type: "string" },
      format: { type: "string", default: "text" },
      lang: { type: "string" },
    },
  });
  const asked = isLanguage(values.lang) ? values.lang : null;
  // The config is read first: its language is the default of everything below.
  const configText = values.config === undefined ? null : await readText(values.config, asked ?? "en");
  const language: Language = asked ?? (configText === null ? null : languageOfConfigText(configText)) ?? "en";
  const m = messagesOf(cliMessages, language);
  if (values.lang !== undefined && asked === null) throw new UsageError(`${m.langInvalid}\n${LINT_USAGE}`);
  if (positionals.length !== 1) throw new UsageError(`${m.lintOneBody}\n${LINT_USAGE}`);
  if (values.format !== "text" && values.format !== "json") throw new UsageError(`${m.lintFormat}\n${LINT_USAGE}`);
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(m.nowNotIso(values.now ?? ""));

  const bodyPath = positionals[0]!;
  const body = await readText(bodyPath, language);
  const configFile = values.config === undefined || configText === null ? null : loadConfigFile(values.config, configText, language, io);
  const config: Config = { ...(configFile?.config ?? defaultConfig), language };
  // Without --template, the built-in form of the config's language, as the app picks it (--lang only sets the output language).
  const form = values.template === undefined ? defaultForm(configFile?.config.language ?? "en") : await loadFormFile(values.template, language);
  const mismatches = configAgainstForm(config, form, configFile ? [configFile.file] : [], language);
  if (mismatches.length > 0) throw new UsageError(describeProblems(mismatches));

  const validation = validatePostmortem({ body, form, config, now });
  const levelLines = renderLevelSection(validation.level, { language, zone: config.timezone, published: false, overBudgetThreshold: config.reviews.require_over_budget, now });
  io.out(values.format === "json" ? JSON.stringify(toJson(validation, config), null, 2) : toText(bodyPath, validation, config, levelLines));
  return validation.valid ? 0 : 1;
}

function loadConfigFile(path: string, text: string, language: Language, io: CliIO): { config: Config; file: ConfigFile } {
  const parsed = parseConfigFile(text, path, language);
  if (!parsed.ok) throw new UsageError(describeProblems(parsed.problems));
  if (parsed.raw._extends !== undefined) io.err(messagesOf(cliMessages, language).extendsOffline(path));
  return { config: resolveConfig(mergeConfigLayers([parsed.raw])), file: { file: path, text, raw: parsed.raw } };
}

async function loadFormFile(path: string, language: Language): Promise<FormSchema> {
  const parsed = parseForm(await readText(path, language), path, language);
  if (!parsed.ok) throw new UsageError(describeProblems(parsed.problems));
  return parsed.form;
}

export function describeProblems(problems: FileProblem[]): string {
  return problems.map((p) => `${p.file}${p.line === null ? "" : `:${p.line}`}: ${p.message}`).join("\n");
}

function answerValue(answer: Answer): string | string[] | null {
  switch (answer.field.type) {
    case "dropdown":
      return answer.field.multiple ? answer.choices : (answer.choices[0] ?? null);
    case "checkboxes":
      return [...answer.checked].filter(([, ticked]) => ticked).map(([label]) => label);
    default:
      return answer.empty ? null : answer.text;
  }
}

function toJson(validation: Validation, config: Config) {
  return {
    valid: validation.valid,
    problems: validation.problems.map(({ field, code, message }) => ({ field, code, message })),
    metrics: {
      ttd_seconds: validation.metrics.ttd.seconds,
      ttr_seconds: validation.metrics.ttr.seconds,
      ttm_seconds: validation.metrics.ttm.seconds,
    },
    metric_sources: Object.fromEntries(
      metricBases(validation.roles, validation.metrics, config.metrics.ttr_from).map((b) => [
        b.metric,
        b.kind === "computed" ? { kind: b.kind, from: b.from.id, to: b.to.id } : b.kind === "missing" ? { kind: b.kind, roles: b.roles } : { kind: b.kind, field: b.field.id },
      ]),
    ),
    roles: Object.fromEntries(Object.values(validation.roles.byRole).map((c) => [c.role, c.field ? { field: c.field.id, source: c.source } : null])),
    level: levelJson(validation.level),
    budget: budgetJson(validation.level.budget),
    answers: Object.fromEntries([...validation.parsed.answers].map(([id, answer]) => [id, answerValue(answer)])),
  };
}

function levelJson({ declared, level, required, review }: LevelAssessment) {
  if (!level) return null;
  return {
    name: level.name,
    declared: declared?.name ?? null,
    definition: level.definition,
    required_fields: required.map(({ field, written }) => ({ field: field.id, written })),
    follow_up_due_business_days: level.follow_up_due_business_days ?? null,
    review_deadline: review ? { date: review.date, business_days: review.businessDays, because: review.because } : null,
  };
}

function budgetJson(budget: BudgetEvaluation | null) {
  if (!budget) return null;
  return {
    definition: BUDGET_DEFINITION,
    impact_seconds: budget.impactSeconds,
    share: budget.share,
    slos: budget.slos.map((s) => ({ slo: s.name, target: s.target, window: s.window, consumed_percent: s.consumedPercent })),
    stated_percent: budget.stated,
    disagreement: budget.disagreement,
  };
}

function toText(path: string, validation: Validation, config: Config, levelLines: string[]): string {
  const m = messagesOf(cliMessages, config.language);
  const plain = (markdown: string) => markdown.replace(/\*\*/g, "").replace(/\u200b/g, "");
  const fieldsUsed = renderFieldsUsed(validation.roles, validation.metrics, config.metrics.ttr_from, config.language);
  const lines = [validation.valid ? m.lintOk(path) : m.lintProblems(path, validation.problems.length)];
  for (const problem of validation.problems) lines.push(`  ${problem.field ?? m.lintBody} [${problem.code}] ${plain(problem.message)}`);
  for (const metric of [validation.metrics.ttd, validation.metrics.ttr, validation.metrics.ttm]) {
    const value = metric.seconds === null ? `- (${metric.unavailable})` : `${formatDuration(metric.seconds, config.language)}${metric.stated ? ` ${fieldsUsed.statedNote}` : ""}`;
    lines.push(`  ${metric.name} ${value}  [${metric.definition}]`);
  }
  // The same "fields used" lines as the status comment, without their markdown.
  for (const line of fieldsUsed.lines) if (line.startsWith("- ")) lines.push(`  ${plain(line.slice(2)).replace(/`/g, "")}`);
  for (const line of levelLines) if (line !== "" && !line.startsWith("| ---")) lines.push(`  ${plain(line.replace(/^#### /, "").replace(/<\/?sub>/g, ""))}`);
  return lines.join("\n");
}
