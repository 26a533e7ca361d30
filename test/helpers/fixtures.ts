import { readFileSync } from "node:fs";
import { parseConfigFile, resolveConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { parseForm, type FormSchema } from "../../src/form/template.js";

const root = new URL("../fixtures/", import.meta.url);

export function fixture(path: string): string {
  return readFileSync(new URL(path, root), "utf8");
}

export function body(name: string): string {
  return fixture(`bodies/${name}.md`);
}

export function formFixture(name: string): FormSchema {
  const result = parseForm(fixture(`forms/${name}.yml`), `forms/${name}.yml`);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.form;
}

export function configFixture(path: string): Config {
  const result = parseConfigFile(fixture(path), path);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return resolveConfig(result.raw);
}

/** The clock every fixture was written against. */
export const FIXTURE_NOW = new Date("2026-11-27T00:00:00Z");

/** The fixture bodies' action items name these teams (backend, @acme/sre). */
export const TEAMS_CONFIG_TEXT = fixture("configs/teams.yml");
