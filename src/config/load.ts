import { z } from "zod";
import { keyLineAt, parseYamlSource, type FileProblem } from "../form/yaml-source.js";
import { isLanguage, messagesOf, type Language } from "../i18n/index.js";
import { setupMessages } from "../i18n/messages/setup.js";
import { configSchema, type Config } from "./schema.js";

export type RawConfig = Record<string, unknown>;

export type ConfigFileResult = { ok: true; raw: RawConfig } | { ok: false; problems: FileProblem[] };

const fileSchema = configSchema.extend({ _extends: configSchema.shape.label.optional() });

type SetupMessages = (typeof setupMessages)["byLanguage"]["en"];

/**
 * Parses one config file and checks it on its own, so each problem names the
 * file and line it comes from even when several files are merged by `_extends`.
 * Problems are written in `language` (see `languageOfConfigText` for how the
 * loader picks it before a config exists).
 */
export function parseConfigFile(text: string, file: string, language: Language = "en"): ConfigFileResult {
  const m = messagesOf(setupMessages, language);
  const parsed = parseYamlSource(text, file, language);
  if (!parsed.ok) return parsed;
  const raw: unknown = parsed.yaml.value ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ file, line: 1, message: m.configNotMapping }] };
  }
  // English keeps zod's own texts; another language gets its own for the checks the schema gives no text of ours.
  const error = language === "en" ? undefined : zodErrorMap(language);
  const checked = fileSchema.safeParse(raw, error ? { reportInput: true, error } : { reportInput: true });
  if (!checked.success) {
    return {
      ok: false,
      problems: checked.error.issues.map((issue) => ({
        file,
        line: keyLineAt(parsed.yaml, issuePath(issue)),
        message: describeIssue(issue, language),
      })),
    };
  }
  return { ok: true, raw: raw as RawConfig };
}

/**
 * The `language:` a config file names, read best-effort before the file is
 * checked: a file that is broken but still YAML and says `language: ja` has its
 * problems shown in Japanese. Null when the file does not parse or names no
 * valid language.
 */
export function languageOfConfigText(text: string): Language | null {
  const raw = rawConfigOf(text);
  return raw && isLanguage(raw.language) ? raw.language : null;
}

/** The file as a plain mapping when it is YAML at all (nothing is checked), else null. */
export function rawConfigOf(text: string): RawConfig | null {
  const parsed = parseYamlSource(text, "");
  if (!parsed.ok) return null;
  const raw: unknown = parsed.yaml.value;
  return typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as RawConfig) : null;
}

/** Layers from base to most specific: objects merge, arrays and scalars replace. */
export function mergeConfigLayers(layers: readonly RawConfig[]): RawConfig {
  return layers.reduce<RawConfig>((merged, layer) => deepMerge(merged, layer), {});
}

export function resolveConfig(raw: RawConfig): Config {
  const { _extends: _ignored, ...rest } = raw;
  return configSchema.parse(rest);
}

function deepMerge(base: RawConfig, over: RawConfig): RawConfig {
  const out: RawConfig = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isPlainObject(prior) && isPlainObject(value) ? deepMerge(prior, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is RawConfig {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function issuePath(issue: z.core.$ZodIssue): (string | number)[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys" && issue.keys[0] !== undefined) return [...path, issue.keys[0]];
  return path;
}

function describeIssue(issue: z.core.$ZodIssue, language: Language): string {
  const m = messagesOf(setupMessages, language);
  const key = issue.path.length > 0 ? `'${issue.path.join(".")}'` : null;
  const where = key ?? m.theConfig;
  if (issue.code === "unrecognized_keys") return m.unknownKey(key, issue.keys.map((k) => `'${k}'`).join(", "));
  if (issue.code === "invalid_type") return m.mustBe(where, issue.expected, issue.input === undefined ? null : describeValue(issue.input, m));
  if (issue.code === "invalid_value") return m.oneOf(where, issue.values.map((v) => JSON.stringify(v)));
  return m.otherIssue(where, language === "en" ? issue.message : (ruleText(issue, language) ?? issue.message));
}

function describeValue(value: unknown, m: SetupMessages): string {
  if (Array.isArray(value)) return m.aList;
  if (value === null) return m.empty;
  return typeof value === "object" ? m.aMapping : m.aValue(typeof value, JSON.stringify(value));
}

/**
 * A check of the schema's own, in `language`: the schema gives its English
 * (from the setup catalog's `rule*` texts), which names the rule; a repeated
 * level or SLO carries its arguments as params. Null for zod's own checks,
 * whose message the per-parse error map already wrote in `language`.
 */
function ruleText(issue: { code?: string; message: string; params?: Record<string, unknown> }, language: Language): string | null {
  const m = messagesOf(setupMessages, language);
  const params = issue.code === "custom" ? issue.params : undefined;
  if (params?.rule === "repeats") return m.ruleRepeats(params.what === "level" ? "level" : "SLO", String(params.name), Number(params.entry));
  const rule = RULE_BY_ENGLISH.get(issue.message);
  return rule === undefined ? null : (m[rule] as string);
}

type RuleKey = { [K in keyof SetupMessages]: K extends `rule${string}` ? (SetupMessages[K] extends string ? K : never) : never }[keyof SetupMessages];

const RULE_BY_ENGLISH = new Map<string, RuleKey>(
  Object.entries(setupMessages.byLanguage.en).flatMap(([key, text]) => (key.startsWith("rule") && typeof text === "string" ? [[text, key as RuleKey] as const] : [])),
);

/**
 * zod's texts for the checks the schema gives no text of its own (too short,
 * too long, neither of a union's shapes, a bad record key) in `language`, as
 * a per-parse error map: nothing global changes, so English elsewhere keeps
 * zod's texts. What the catalog does not cover falls back to zod's own locale.
 */
function zodErrorMap(language: Exclude<Language, "en">): z.core.$ZodErrorMap {
  const m = messagesOf(setupMessages, language);
  const locale = z.locales[language]().localeError;
  const fallback = (issue: Parameters<z.core.$ZodErrorMap>[0]): string => {
    const text = locale(issue);
    return m.zodOther(typeof text === "string" ? text : (text?.message ?? issue.code ?? ""));
  };
  return (issue) => {
    switch (issue.code) {
      case "too_small":
        if (issue.exact) return fallback(issue);
        return m.zodTooSmall(issue.origin, String(issue.minimum), issue.inclusive === true);
      case "too_big":
        if (issue.exact) return fallback(issue);
        return m.zodTooBig(issue.origin, String(issue.maximum), issue.inclusive === true);
      case "invalid_union": {
        if (issue.inclusive === false) return fallback(issue);
        const shapes = issue.errors.map((errors) => {
          const first = errors[0];
          if (first?.code === "invalid_type") return first.expected;
          if (first?.code === "invalid_value" && first.values.length === 1) return JSON.stringify(first.values[0]);
          return null;
        });
        return shapes.every((s): s is string => s !== null) ? m.zodUnion(shapes) : fallback(issue);
      }
      case "invalid_key": {
        const reasons = issue.issues.map((nested) => ruleText(nested, language));
        return reasons.every((r): r is string => r !== null) && reasons.length > 0 ? m.zodKey(reasons.join(" ")) : fallback(issue);
      }
      default:
        return fallback(issue);
    }
  };
}
