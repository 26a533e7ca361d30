// What the parser benchmark compares, set up once per thread: our
// validatePostmortem (lib/, compiled by `npm run build`) and parseBody, and
// @github/issue-parser's parseIssue(body, templateYaml), which parses the
// template YAML on every call, as it is used.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseIssue, parseTemplate } from "@github/issue-parser";
import { parseConfigFile, resolveConfig } from "../lib/config/load.js";
import { defaultConfig } from "../lib/config/schema.js";
import { defaultForm } from "../lib/config/setup.js";
import { parseBody } from "../lib/form/body.js";
import { parseForm } from "../lib/form/template.js";
import { validatePostmortem } from "../lib/postmortem/validate.js";
import { REPO_ROOT } from "./util.js";

/** The clock every fixture was written against (test/helpers/fixtures.ts). */
export const NOW = new Date("2026-11-27T00:00:00Z");
export const HOME = { owner: "acme", repo: "incidents" };
export const TEAMS_CONFIG_PATH = "test/fixtures/configs/teams.yml";

function configFrom(path) {
  const full = join(REPO_ROOT, path);
  if (!existsSync(full)) return null;
  const parsed = parseConfigFile(readFileSync(full, "utf8"), path);
  return parsed.ok ? resolveConfig(parsed.raw) : null;
}

export function setups() {
  const teams = configFrom(TEAMS_CONFIG_PATH);
  const acmeFormPath = "test/fixtures/forms/acme-incident.yml";
  const acmeYaml = readFileSync(join(REPO_ROOT, acmeFormPath), "utf8");
  const acmeForm = parseForm(acmeYaml, acmeFormPath);
  return {
    default: {
      form: defaultForm(),
      config: teams ?? defaultConfig,
      configName: teams ? TEAMS_CONFIG_PATH : "defaultConfig",
      templateYaml: readFileSync(join(REPO_ROOT, ".github/ISSUE_TEMPLATE/postmortem.yml"), "utf8"),
    },
    acme: {
      form: acmeForm.ok ? acmeForm.form : null,
      config: configFrom("test/fixtures/forms/acme-incident.config.yml") ?? defaultConfig,
      configName: "test/fixtures/forms/acme-incident.config.yml",
      templateYaml: acmeYaml,
    },
  };
}

export function makeFns(setup) {
  return {
    validate: (body) => validatePostmortem({ body, form: setup.form, config: setup.config, now: NOW, home: HOME }),
    parseBody: (body) => parseBody(body, setup.form),
    issueParser: (body) => parseIssue(body, setup.templateYaml),
    templateParse: () => parseTemplate(setup.templateYaml),
  };
}
