import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { languageOfConfigText, mergeConfigLayers, parseConfigFile, resolveConfig } from "../config/load.js";
import { defaultConfig, type Config } from "../config/schema.js";
import { isBuiltInForm, loadSetup } from "../config/setup.js";
import { rolesOf, ROLES, type ResolvedRoles, type Role } from "../form/roles.js";
import { parseForm, type FormSchema } from "../form/template.js";
import { BatchFileReader } from "../github/graphql-source.js";
import { fieldName, formatList } from "../i18n/format.js";
import { isLanguage, messagesOf, type Language } from "../i18n/index.js";
import { cliMessages } from "../i18n/messages/cli.js";
import { init as initCatalog } from "../i18n/messages/init.js";
import { roles as rolesCatalog } from "../i18n/messages/roles.js";
import { explainChoice, missingForTtr, renderFieldsUsed } from "../postmortem/fields-used.js";
import { computeMetrics } from "../postmortem/metrics.js";
import { readText, UsageError, type CliIO } from "./io.js";
import { describeProblems } from "./lint.js";
import { createCliOctokit } from "./report.js";

export const INIT_USAGE =
  "usage: postmortem-bot init (<form.yml> | --repo <owner/name>) [--config <postmortem.yml>] [--write <path> [--force]] [--lang en|ja]   (alias: doctor)";

const REPO = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/;
const DEFAULT_API_URL = "https://api.github.com";

/**
 * `postmortem-bot init`: reads an org's own form (a file, or a repository's
 * through the loader every entry point uses), shows which field plays each
 * role, the levels and the action-item shape, and prints (or writes) a starter
 * `.github/postmortem.yml` that pins what was inferred.
 *
 * Exit codes: 0 TTR can be computed; 1 a role TTR needs has no field (the
 * message says what to add); 2 usage error, unreadable or broken form or config,
 * or a --write target that exists without --force.
 */
export async function init(argv: string[], io: CliIO, env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      repo: { type: "string" },
      config: { type: "string" },
      write: { type: "string" },
      force: { type: "boolean", default: false },
      lang: { type: "string" },
    },
  });
  // Errors before a config is read are in --lang, else English; the rest follows the config read unless --lang says otherwise.
  const asked = isLanguage(values.lang) ? values.lang : null;
  const c = messagesOf(cliMessages, asked ?? "en");
  if ((positionals.length === 1) === (values.repo !== undefined) || positionals.length > 1) throw new UsageError(`${c.initFormOrRepo}\n${INIT_USAGE}`);
  if (values.lang !== undefined && asked === null) throw new UsageError(`${c.langInvalid}\n${INIT_USAGE}`);
  if (values.force && values.write === undefined) throw new UsageError(`${c.initForceNeedsWrite}\n${INIT_USAGE}`);

  const { form, config, template, builtIn } = values.repo === undefined ? await fromFile(positionals[0]!, values.config, asked, io) : await fromRepo(values.repo, env, asked, io);
  const language: Language = asked ?? config.language;
  const m = messagesOf(initCatalog, language);
  const roles = rolesOf(form, config);

  const starter = starterConfig(form, roles, template, language);
  io.out(describe(form, roles, config, builtIn, language).join("\n"));
  io.out(`\n${m.starterHeading}\n\n${starter}`);

  if (values.write !== undefined) {
    if (!values.force && existsSync(values.write)) {
      io.err(m.exists(values.write));
      return 2;
    }
    await writeFile(values.write, starter, "utf8");
    io.err(m.wrote(values.write));
  }

  const missing = missingForTtr(roles, config.metrics.ttr_from);
  if (missing.length === 0) {
    io.err(m.ttrOk);
    return 0;
  }
  const r = messagesOf(rolesCatalog, language);
  io.err(m.ttrMissing(formatList(missing.map((role) => r.roleName(role)), language), formatList(missing.map((role) => `\`fields.${role}\``), language, "disjunction")));
  return 1;
}

async function fromFile(path: string, configPath: string | undefined, asked: Language | null, io: CliIO) {
  // The config first: its language (a broken one's too, read best-effort) is that of the form's problems.
  const configText = configPath === undefined ? null : await readText(configPath, asked ?? "en");
  const language = asked ?? (configText === null ? null : languageOfConfigText(configText)) ?? "en";
  const parsed = parseForm(await readText(path, language), path, language);
  if (!parsed.ok) throw new UsageError(describeProblems(parsed.problems));
  let config: Config = defaultConfig;
  if (configPath !== undefined && configText !== null) {
    const raw = parseConfigFile(configText, configPath, language);
    if (!raw.ok) throw new UsageError(describeProblems(raw.problems));
    if (raw.raw._extends !== undefined) io.err(messagesOf(cliMessages, language).extendsOffline(configPath));
    config = resolveConfig(mergeConfigLayers([raw.raw]));
  }
  // A form kept where GitHub looks for forms is the template the config should name.
  const template = /(?:^|\/)(\.github\/ISSUE_TEMPLATE\/[^/]+\.ya?ml)$/.exec(path)?.[1] ?? `.github/ISSUE_TEMPLATE/${path.split("/").pop()}`;
  return { form: parsed.form, config, template, builtIn: false };
}

async function fromRepo(repo: string, env: Readonly<Record<string, string | undefined>>, asked: Language | null, io: CliIO) {
  const c = messagesOf(cliMessages, asked ?? "en");
  const match = REPO.exec(repo);
  if (!match) throw new UsageError(`${c.initNotRepo(repo)}\n${INIT_USAGE}`);
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) throw new UsageError(c.initNoToken);
  const baseUrl = (env.GITHUB_API_URL?.trim() || DEFAULT_API_URL).replace(/\/+$/, "");
  // The loader `report` and the app use: the repository's config and form, else the org's, else the built-in form.
  const result = await loadSetup(new BatchFileReader(createCliOctokit(token, baseUrl, io)), { owner: match[1]!, repo: match[2]! }, asked === null ? {} : { language: asked });
  if (!result.ok) throw new UsageError(describeProblems(result.problems));
  const { form, config } = result.setup;
  return { form, config, template: config.template, builtIn: isBuiltInForm(form) };
}

function describe(form: FormSchema, roles: ResolvedRoles, config: Config, builtIn: boolean, language: Language): string[] {
  const m = messagesOf(initCatalog, language);
  const plain = (text: string) => text.replace(/\*\*/g, "").replace(/`/g, "");
  const lines = [m.form(form.file, form.name, form.fields.length)];
  if (builtIn) lines.push(m.builtInForm);
  lines.push("", m.rolesHeading);
  const width = Math.max(...ROLES.map((role) => role.length));
  for (const role of ROLES) {
    const choice = roles.byRole[role];
    const field = choice.field ? `${choice.field.id} (${fieldName(choice.field.label, language)})` : "—";
    lines.push(`  ${role.padEnd(width)}  ${plain(field)}  ${plain(explainChoice(choice, language))}`);
  }
  lines.push("", m.levelsHeading(roles.levelsFrom), `  ${roles.levels.join(", ")}`);
  // With no body yet, each metric's basis is what the form can give.
  const metrics = computeMetrics({}, config.metrics.ttr_from);
  lines.push("", m.metricsHeading);
  for (const line of renderFieldsUsed(roles, metrics, config.metrics.ttr_from, language).lines) if (line.startsWith("- ")) lines.push(`  ${plain(line.slice(2))}`);
  const items = roles.byRole.action_items.field;
  lines.push("");
  if (!items) lines.push(m.noActionItems);
  else {
    lines.push(plain(m.actionItemsHeading(fieldName(items.label, language))), m.actionItemsShape);
    if (items.description) lines.push(m.formAsks(items.description.split("\n")[0]!.slice(0, 200)));
  }
  return lines;
}

/** Pins every role the form can fill, so later edits to labels cannot change what the app reads. */
function starterConfig(form: FormSchema, roles: ResolvedRoles, template: string, language: Language): string {
  const m = messagesOf(initCatalog, language);
  const r = messagesOf(rolesCatalog, language);
  const scalar = (value: string) => stringify(value).trim();
  const lines = [m.starterComment(form.file), ""];
  if (template !== defaultConfig.template) lines.push(`template: ${scalar(template)}`);
  lines.push("fields:");
  for (const role of ROLES) {
    const choice = roles.byRole[role];
    if (choice.source === "window") continue; // the window entry gives start and end
    if (choice.field) lines.push(`  ${role}: ${scalar(choice.field.id)}`);
    else if (isCoreRole(role)) lines.push(`  ${m.notFoundComment(role, r.roleName(role))}`);
  }
  if (roles.levelsFrom === "form") lines.push("", m.levelsComment(roles.levels.join(", ")));
  return `${lines.join("\n")}\n`;
}

/** Roles a starter config mentions even when missing; the window and stated durations are extras. */
function isCoreRole(role: Role): boolean {
  return !["impact_window", "time_to_detect", "time_to_mitigate", "time_to_recover"].includes(role);
}
