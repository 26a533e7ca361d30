import { readFileSync } from "node:fs";
import { parseForm, type FormSchema } from "../form/template.js";
import { keyLineAt, parseYamlSource, type FileProblem } from "../form/yaml-source.js";
import { levelConfigProblems } from "../postmortem/levels.js";
import { mergeConfigLayers, parseConfigFile, resolveConfig, type RawConfig } from "./load.js";
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

export type SetupResult = { ok: true; setup: Setup } | { ok: false; problems: FileProblem[]; config: Config | null };

export const CONFIG_PATH = ".github/postmortem.yml";
export const ORG_REPO = ".github";
const MAX_EXTENDS = 5;

export const BUILT_IN_FORM_FILE = "postmortem-bot built-in form (.github/ISSUE_TEMPLATE/postmortem.yml)";

let builtInForm: FormSchema | null = null;

/** The form this project ships; also what users copy into their repositories. */
export function defaultForm(): FormSchema {
  if (!builtInForm) {
    const text = readFileSync(new URL("../../.github/ISSUE_TEMPLATE/postmortem.yml", import.meta.url), "utf8");
    const result = parseForm(text, BUILT_IN_FORM_FILE);
    if (!result.ok) throw new Error(`the built-in form is broken: ${JSON.stringify(result.problems)}`);
    builtInForm = result.form;
  }
  return builtInForm;
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
): Promise<{ ok: true; config: Config; sources: string[] } | { ok: false; problems: FileProblem[] }> {
  const result = await readConfig(reader, ref);
  return result.ok ? { ok: true, config: result.config, sources: result.sources } : result;
}

/** A config file as read, most specific first: where a problem found after merging is located. */
export interface ConfigFile {
  file: string;
  text: string;
  raw: RawConfig;
}

async function readConfig(
  reader: FileReader,
  ref: RepoRef,
): Promise<{ ok: true; config: Config; sources: string[]; files: ConfigFile[] } | { ok: false; problems: FileProblem[] }> {
  let location: { ref: RepoRef; path: string } | null = { ref, path: CONFIG_PATH };
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
  while (location && text !== null) {
    const file = fileName(location.ref, location.path);
    if (seen.has(file)) return { ok: false, problems: [{ file, line: null, message: "`_extends` forms a cycle" }] };
    seen.add(file);
    const parsed = parseConfigFile(text, file);
    if (!parsed.ok) return parsed;
    layers.unshift(parsed.raw);
    sources.push(file);
    files.push({ file, text, raw: parsed.raw });
    const target = parsed.raw._extends;
    if (typeof target !== "string") break;
    if (sources.length > MAX_EXTENDS) return { ok: false, problems: [{ file, line: null, message: `\`_extends\` goes deeper than ${MAX_EXTENDS} files` }] };
    const next = parseExtends(target, location.ref);
    if (!next) return { ok: false, problems: [{ file, line: null, message: `\`_extends: ${target}\` is not 'repo', 'owner/repo' or 'owner/repo:path'` }] };
    // GitHub logins are case-insensitive: `_extends: ACME/base` is the same organization as `acme`.
    if (next.ref.owner.toLowerCase() !== ref.owner.toLowerCase()) {
      return { ok: false, problems: [{ file, line: null, message: `\`_extends: ${target}\` points outside the ${ref.owner} organization, which this app never reads` }] };
    }
    location = next;
    text = await reader.read(next.ref, next.path);
    if (text === null) return { ok: false, problems: [{ file, line: null, message: `\`_extends: ${target}\` names ${fileName(next.ref, next.path)}, which does not exist` }] };
  }
  return { ok: true, config: resolveConfig(mergeConfigLayers(layers)), sources, files };
}

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
): Promise<{ ok: true; form: FormSchema; source: string } | { ok: false; problems: FileProblem[] }> {
  const candidates: RepoRef[] = ref.repo === ORG_REPO ? [ref] : [ref, { owner: ref.owner, repo: ORG_REPO }];
  for (const candidate of candidates) {
    const text = await reader.read(candidate, config.template);
    if (text === null) continue;
    const file = fileName(candidate, config.template);
    const result = parseForm(text, file);
    return result.ok ? { ok: true, form: result.form, source: file } : result;
  }
  return { ok: true, form: defaultForm(), source: BUILT_IN_FORM_FILE };
}

export async function loadSetup(reader: FileReader, ref: RepoRef): Promise<SetupResult> {
  const config = await readConfig(reader, ref);
  if (!config.ok) return { ok: false, problems: config.problems, config: null };
  const form = await loadForm(reader, ref, config.config);
  if (!form.ok) return { ok: false, problems: form.problems, config: config.config };
  const mismatches = configAgainstForm(config.config, form.form, config.files);
  if (mismatches.length > 0) return { ok: false, problems: mismatches, config: config.config };
  return { ok: true, setup: { config: config.config, form: form.form, sources: [...config.sources, form.source] } };
}

/**
 * Checks of the merged config that need the form (a level requiring a field
 * the form lacks, a level no severity option names), each placed at the line
 * of the file that set the key: the most specific file that has it.
 */
export function configAgainstForm(config: Config, form: FormSchema, files: readonly ConfigFile[]): FileProblem[] {
  return levelConfigProblems(config, form).map((problem) => {
    const source = files.find((f) => Object.hasOwn(f.raw, problem.path[0]!));
    if (!source) return { file: form.file, line: null, message: problem.message };
    const parsed = parseYamlSource(source.text, source.file);
    return { file: source.file, line: parsed.ok ? keyLineAt(parsed.yaml, problem.path) : null, message: problem.message };
  });
}
