import type { z } from "zod";
import { keyLineAt, parseYamlSource, type FileProblem } from "../form/yaml-source.js";
import { configSchema, type Config } from "./schema.js";

export type RawConfig = Record<string, unknown>;

export type ConfigFileResult = { ok: true; raw: RawConfig } | { ok: false; problems: FileProblem[] };

const fileSchema = configSchema.extend({ _extends: configSchema.shape.label.optional() });

/**
 * Parses one config file and checks it on its own, so each problem names the
 * file and line it comes from even when several files are merged by `_extends`.
 */
export function parseConfigFile(text: string, file: string): ConfigFileResult {
  const parsed = parseYamlSource(text, file);
  if (!parsed.ok) return parsed;
  const raw: unknown = parsed.yaml.value ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ file, line: 1, message: "the config must be a YAML mapping of keys to values" }] };
  }
  const checked = fileSchema.safeParse(raw, { reportInput: true });
  if (!checked.success) {
    return {
      ok: false,
      problems: checked.error.issues.map((issue) => ({
        file,
        line: keyLineAt(parsed.yaml, issuePath(issue)),
        message: describeIssue(issue),
      })),
    };
  }
  return { ok: true, raw: raw as RawConfig };
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

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `'${issue.path.join(".")}'` : "the config";
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `'${k}'`).join(", ");
    return `${where === "the config" ? "unknown key" : `unknown key under ${where}:`} ${keys}; see schema/postmortem.schema.json for the keys`;
  }
  if (issue.code === "invalid_type") return `${where} must be ${article(issue.expected)}${issue.input === undefined ? "" : `, not ${describeValue(issue.input)}`}`;
  if (issue.code === "invalid_value") return `${where} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return `${where} ${issue.message}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "empty";
  return typeof value === "object" ? "a mapping" : `${article(typeof value)} (${JSON.stringify(value)})`;
}
