import { readFileSync } from "node:fs";
import { parseForm, type FormSchema } from "../form/template.js";
import { keyLineAt, parseYamlSource, type FileProblem } from "../form/yaml-source.js";
import { LANGUAGES, messagesOf, type Language } from "../i18n/index.js";
import { setupMessages } from "../i18n/messages/setup.js";
import { levelConfigProblems } from "../postmortem/levels.js";
import { languageOfConfigText, mergeConfigLayers, parseConfigFile, rawConfigOf, resolveConfig, type RawConfig } from "./load.js";
import type { Config } from "./schema.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

/** Reads a file from a repository's default branch; null when it does not exist. */
export interface FileReader {
  read(ref: RepoRef, path: string): Promise<string | null>;
}

/** What every entry point needs before it can look at a postmortem: the config and the form. */
export interface Setup {
  config: Config;
  form: FormSchema;
  /** Files the setup was read from, for messages and cache invalidation. */
  sources: string[];
}

/**
 * On failure, `language` is the language the problems are written in, for
 * whatever shows them (the status comment): the config's when it was read,
 * else the first valid `language:` of the files read (see `readConfig`), else
 * "en". `loadSetup` always sets it; it is optional only for results built by hand.
 */
export type SetupResult = { ok: true; setup: Setup } | { ok: false; problems: FileProblem[]; config: Config | null; language?: Language };

/** The language a setup's texts are written in: its config's, or for a broken setup the one found while loading it. */
export function languageOf(setup: SetupResult): Language {
  return setup.ok ? setup.setup.config.language : (setup.language ?? setup.config?.language ?? "en");
}

/** Options of the loaders; `language` writes the problems in that language instead of the config's (the CLI's `--lang`). */
export interface LoadOptions {
  language?: Language;
}

export const CONFIG_PATH = ".github/postmortem.yml";
export const ORG_REPO = ".github";
const MAX_EXTENDS = 5;

/** The forms this project ships, one per language; also what users copy into their repositories. */
const BUILT_IN_FORMS: Record<Language, string> = { en: ".github/ISSUE_TEMPLATE/postmortem.yml", ja: ".github/ISSUE_TEMPLATE/postmortem-ja.yml" };

export const BUILT_IN_FORM_FILE = builtInFormFile("en");

/** How problems name a built-in form (never a path of the user's repository). */
export function builtInFormFile(language: Language): string {
  return `postmortem-bot built-in form (${BUILT_IN_FORMS[language]})`;
}

export function isBuiltInForm(form: FormSchema): boolean {
  return LANGUAGES.some((language) => form.file === builtInFormFile(language));
}

const builtInForms = new Map<Language, FormSchema>();

/** The built-in form of a language: the form of a repository (and its org) that has none of its own. */
export function defaultForm(language: Language = "en"): FormSchema {
  let form = builtInForms.get(language);
  if (!form) {
    const text = readFileSync(new URL(`../../${BUILT_IN_FORMS[language]}`, import.meta.url), "utf8");
    const result = parseForm(text, builtInFormFile(language));
    if (!result.ok) throw new Error(`the built-in form is broken: ${JSON.stringify(result.problems)}`);
    form = result.form;
    builtInForms.set(language, form);
  }
  return form;
}

export function fileName(ref: RepoRef, path: string): string {
  return `${ref.owner}/${ref.repo}:${path}`;
}

/**
 * Reads `.github/postmortem.yml` as Probot apps do: the repository's file,
 * else the org's `.github` repository's, following `_extends` ('repo',
 * 'owner/repo' or 'owner/repo:path'). Built-in defaults fill every gap.
 */
export async function loadConfig(
  reader: FileReader,
  ref: RepoRef,
  options: LoadOptions = {},
): Promise<{ ok: true; config: Config; sources: string[] } | { ok: false; problems: FileProblem[]; language: Language }> {
  const result = await readConfig(reader, ref, options);
  return result.ok ? { ok: true, config: result.config, sources: result.sources } : { ok: false, problems: result.problems, language: result.language };
}

/** A config file as read, most specific first: where a problem found after merging is located. */
export interface ConfigFile {
  file: string;
  text: string;
  raw: RawConfig;
}

/**
 * The chain of config files, most specific first. The first problem stops the
 * merge; its language is found before it is written: the first valid
 * `language:` of the files in the order they are read (a broken file that is
 * still YAML counts, and the chain is followed on through its `_extends`, best
 * effort, only to look for one), else "en".
 */
async function readConfig(
  reader: FileReader,
  ref: RepoRef,
  options: LoadOptions,
): Promise<{ ok: true; config: Config; sources: string[]; files: ConfigFile[] } | { ok: false; problems: FileProblem[]; language: Language }> {
  let location: { ref: RepoRef; path: string } = { ref, path: CONFIG_PATH };
  let text = await reader.read(ref, CONFIG_PATH);
  if (text === null && ref.repo !== ORG_REPO) {
    location = { ref: { owner: ref.owner, repo: ORG_REPO }, path: CONFIG_PATH };
    text = await reader.read(location.ref, CONFIG_PATH);
  }
  if (text === null) return { ok: true, config: resolveConfig({}), sources: [], files: [] };

  const layers: RawConfig[] = [];
  const files: ConfigFile[] = [];
  const sources: string[] = [];
  const seen = new Set<string>();
  let found: Language | null = options.language ?? null;
  /** The first problem, written once its language is known. */
  let failure: ((m: SetupMessages, language: Language) => FileProblem[]) | null = null;
  for (;;) {
    const file = fileName(location.ref, location.path);
    if (seen.has(file)) {
      failure ??= (m) => [{ file, line: null, message: m.extendsCycle }];
      break;
    }
    seen.add(file);
    found ??= languageOfConfigText(text);
    let target: unknown;
    if (failure === null) {
      const parsed = parseConfigFile(text, file);
      if (parsed.ok) {
        layers.unshift(parsed.raw);
        sources.push(file);
        files.push({ file, text, raw: parsed.raw });
        target = parsed.raw._extends;
      } else {
        const broken = text;
        failure = (_m, language) => (language === "en" ? parsed.problems : (parseConfigFile(broken, file, language) as { problems: FileProblem[] }).problems);
        target = rawConfigOf(text)?._extends;
      }
    } else {
      target = rawConfigOf(text)?._extends;
    }
    // After a problem the chain is read on only to find a language.
    if (typeof target !== "string" || (failure !== null && found !== null)) break;
    if (seen.size > MAX_EXTENDS) {
      failure ??= (m) => [{ file, line: null, message: m.extendsTooDeep(MAX_EXTENDS) }];
      break;
    }
    const next = parseExtends(target, location.ref);
    if (!next) {
      failure ??= (m) => [{ file, line: null, message: m.extendsUnreadable(target) }];
      break;
    }
    // GitHub logins are case-insensitive: `_extends: ACME/base` is the same organization as `acme`.
    if (next.ref.owner.toLowerCase() !== ref.owner.toLowerCase()) {
      failure ??= (m) => [{ file, line: null, message: m.extendsOutside(target, ref.owner) }];
      break;
    }
    location = next;
    text = await reader.read(next.ref, next.path);
    if (text === null) {
      failure ??= (m) => [{ file, line: null, message: m.extendsMissing(target, fileName(next.ref, next.path)) }];
      break;
    }
  }
  if (failure !== null) {
    const language = found ?? "en";
    return { ok: false, problems: failure(messagesOf(setupMessages, language), language), language };
  }
  return { ok: true, config: resolveConfig(mergeConfigLayers(layers)), sources, files };
}

type SetupMessages = (typeof setupMessages)["byLanguage"]["en"];

function parseExtends(target: string, from: RepoRef): { ref: RepoRef; path: string } | null {
  const match = /^(?:([A-Za-z0-9-]+)\/)?([A-Za-z0-9._-]+)(?::(.+))?$/.exec(target.trim());
  if (!match) return null;
  return { ref: { owner: match[1] ?? from.owner, repo: match[2]! }, path: match[3] ?? CONFIG_PATH };
}

/** The form at `config.template`: the repository's, else the org `.github` repository's, else the built-in one. */
export async function loadForm(
  reader: FileReader,
  ref: RepoRef,
  config: Config,
  options: LoadOptions = {},
): Promise<{ ok: true; form: FormSchema; source: string } | { ok: false; problems: FileProblem[] }> {
  const candidates: RepoRef[] = ref.repo === ORG_REPO ? [ref] : [ref, { owner: ref.owner, repo: ORG_REPO }];
  for (const candidate of candidates) {
    const text = await reader.read(candidate, config.template);
    if (text === null) continue;
    const file = fileName(candidate, config.template);
    const result = parseForm(text, file, options.language ?? config.language);
    return result.ok ? { ok: true, form: result.form, source: file } : result;
  }
  return { ok: true, form: defaultForm(config.language), source: builtInFormFile(config.language) };
}

export async function loadSetup(reader: FileReader, ref: RepoRef, options: LoadOptions = {}): Promise<SetupResult> {
  const config = await readConfig(reader, ref, options);
  if (!config.ok) return { ok: false, problems: config.problems, config: null, language: config.language };
  const language = options.language ?? config.config.language;
  const form = await loadForm(reader, ref, config.config, options);
  if (!form.ok) return { ok: false, problems: form.problems, config: config.config, language };
  const mismatches = configAgainstForm(config.config, form.form, config.files, language);
  if (mismatches.length > 0) return { ok: false, problems: mismatches, config: config.config, language };
  return { ok: true, setup: { config: config.config, form: form.form, sources: [...config.sources, form.source] } };
}

/**
 * Checks of the merged config that need the form (a level requiring a field
 * the form lacks, a level no severity option names), each placed at the line
 * of the file that set the key: the most specific file that has it. Written in
 * `language` (the config's unless the CLI asks for another).
 */
export function configAgainstForm(config: Config, form: FormSchema, files: readonly ConfigFile[], language: Language = config.language): FileProblem[] {
  return levelConfigProblems(config, form, language).map(({ path, message }) => {
    const source = files.find((f) => Object.hasOwn(f.raw, path[0]!));
    if (!source) return { file: form.file, line: null, message };
    const parsed = parseYamlSource(source.text, source.file);
    return { file: source.file, line: parsed.ok ? keyLineAt(parsed.yaml, path) : null, message };
  });
}

