import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configSchema, defaultConfig, type ConfigInput } from "../../src/config/schema.js";
import { defaultForm } from "../../src/config/setup.js";
import { levelsOf, MAX_FIELDS_MATCHED, resolveRoles, ROLE_SYNONYMS, rolesOf, ROLES, shortLevelName, type ResolvedRoles, type Role } from "../../src/form/roles.js";
import { parseForm } from "../../src/form/template.js";
import { configFixture, formFixture } from "../helpers/fixtures.js";

const ids = (roles: ResolvedRoles): Partial<Record<Role, string>> =>
  Object.fromEntries(ROLES.filter((r) => roles.byRole[r].field).map((r) => [r, roles.byRole[r].field!.id]));
const config = (input: ConfigInput) => configSchema.parse(input);

describe("roles inferred from a form with no fields: config", () => {
  it("finds the built-in form's roles exactly where the old default ids pointed", () => {
    const roles = resolveRoles(defaultForm(), defaultConfig);
    expect(ids(roles)).toEqual({
      summary: "summary",
      severity: "severity",
      started_at: "impact-started",
      detected_at: "detected",
      mitigated_at: "mitigated",
      recovered_at: "recovered",
      action_items: "action-items",
      slos: "slos",
      affected_share: "affected-share",
    });
    expect(roles.byRole.started_at.reason).toEqual({ kind: "match", on: "label", synonym: "impact started" });
    expect(roles.levels).toEqual(["SEV1", "SEV2", "SEV3", "SEV4"]);
    expect(roles.levelsFrom).toBe("form");
  });

  it("boilerplate-devops: start and end by label, TTD from the stated minutes, Sev1–Sev3 from the dropdown", () => {
    const roles = resolveRoles(formFixture("boilerplate-devops-postmortem"), defaultConfig);
    expect(ids(roles)).toEqual({
      summary: "summary",
      severity: "severity",
      started_at: "started-at",
      recovered_at: "resolved-at",
      action_items: "action-items",
      time_to_detect: "time-to-detect",
      budget_spent: "budget-spent",
    });
    // "Minutes from impact starting …" names a duration, so it is never the start time.
    expect(roles.byRole.time_to_detect.reason).toEqual({ kind: "match", on: "label", synonym: "to the first signal" });
    expect(roles.byRole.recovered_at.reason).toEqual({ kind: "match", on: "label", synonym: "impact ended" });
    // The "Detection" textarea is prose and "How we found out" a dropdown: neither is a detected time.
    expect(roles.byRole.detected_at).toMatchObject({ field: null, reason: { kind: "not-found" } });
    expect(roles.levels).toEqual(["Sev1", "Sev2", "Sev3"]);
  });

  it("art-world-hub: one window field gives start and end; P0–P3 by leading token", () => {
    const roles = resolveRoles(formFixture("art-world-hub-postmortem"), defaultConfig);
    expect(ids(roles)).toEqual({
      summary: "summary",
      severity: "severity",
      impact_window: "incident-date",
      started_at: "incident-date",
      recovered_at: "incident-date",
      action_items: "action-items",
    });
    expect(roles.byRole.started_at).toMatchObject({ source: "window", reason: { kind: "window", id: "incident-date" } });
    expect(roles.byRole.impact_window.reason).toEqual({ kind: "match", on: "label", synonym: "date and duration" });
    expect(roles.levels).toEqual(["P0", "P1", "P2", "P3"]);
  });

  it("batbern: the impact window, a summary by label, and no severity field (default levels)", () => {
    const roles = resolveRoles(formFixture("batbern-post-mortem"), defaultConfig);
    expect(ids(roles)).toEqual({
      summary: "incident_summary",
      impact_window: "impact_window",
      started_at: "impact_window",
      recovered_at: "impact_window",
      action_items: "action_items",
    });
    expect(roles.levelsFrom).toBe("default");
  });

  it("trimix (Japanese): 重大度 and 検知日時, no start or end field", () => {
    const roles = resolveRoles(formFixture("trimix-incident-report"), defaultConfig);
    expect(ids(roles)).toEqual({ summary: "summary", severity: "severity", detected_at: "detected_at" });
    expect(roles.byRole.severity.reason).toEqual({ kind: "match", on: "label", synonym: "重大度" });
    expect(roles.byRole.detected_at.reason).toEqual({ kind: "match", on: "label", synonym: "検知日時" });
    expect(roles.levels).toEqual(["P1", "P2", "P3"]);
  });

  it("teraflow (Japanese): single-word levels are their own short names", () => {
    const roles = resolveRoles(formFixture("teraflow-incident-report"), defaultConfig);
    expect(ids(roles)).toEqual({ summary: "description", severity: "severity" });
    expect(roles.byRole.summary.reason).toEqual({ kind: "match", on: "label", synonym: "インシデント詳細" });
    expect(roles.levels).toEqual(["critical", "high", "medium", "low"]);
  });

  it("acme-incident: the same roles its explicit config maps, with no config at all", () => {
    const inferred = ids(resolveRoles(formFixture("acme-incident"), defaultConfig));
    const explicit = ids(resolveRoles(formFixture("acme-incident"), configFixture("forms/acme-incident.config.yml")));
    expect(inferred).toEqual({ summary: "what-happened", severity: "sev", started_at: "start", detected_at: "noticed", recovered_at: "fixed", action_items: "followups" });
    expect(explicit).toEqual(inferred);
  });
});

describe("explicit fields: entries", () => {
  it("win for their role, and the rest is still inferred", () => {
    const roles = resolveRoles(formFixture("boilerplate-devops-postmortem"), config({ fields: { summary: "impact" } }));
    expect(roles.byRole.summary).toMatchObject({ source: "config", reason: { kind: "config", id: "impact" } });
    expect(roles.byRole.severity.field?.id).toBe("severity");
  });

  it("an id the form lacks leaves the role unused rather than guessed", () => {
    const roles = resolveRoles(defaultForm(), config({ fields: { mitigated_at: "nope" } }));
    expect(roles.byRole.mitigated_at).toMatchObject({ field: null, reason: { kind: "config-missing", id: "nope" } });
  });

  it("false switches a role off", () => {
    const roles = resolveRoles(defaultForm(), config({ fields: { mitigated_at: false } }));
    expect(roles.byRole.mitigated_at).toMatchObject({ field: null, reason: { kind: "config-off" } });
    expect(roles.byRole.recovered_at.field?.id).toBe("recovered");
  });

  it("a field named by config is not inferred for another role", () => {
    const roles = resolveRoles(defaultForm(), config({ fields: { summary: "detected" } }));
    expect(roles.byRole.detected_at.field).toBeNull();
  });
});

describe("levels", () => {
  it.each([
    ["P1 — Major feature degradation", "P1"],
    ["SEV-2: Partial outage", "SEV-2"],
    ["レベル1（全停止）", "レベル1"],
    ["Sev1", "Sev1"],
    ["critical", "critical"],
    ["P2 - minor", "P2"],
  ])("%s is level %s", (option, short) => expect(shortLevelName(option)).toBe(short));

  it("configured severities win over the form's options", () => {
    expect(levelsOf({ form: formFixture("art-world-hub-postmortem"), config: config({ severities: ["P0", "P1"] }) })).toEqual(["P0", "P1"]);
  });

  it("options whose short names collide are levels as written", () => {
    const form = parseOk(`name: x\ndescription: x\nbody:\n  - type: dropdown\n    id: severity\n    attributes:\n      label: Severity\n      options: [High impact, High urgency]\n`);
    expect(levelsOf({ form, config: defaultConfig })).toEqual(["High impact", "High urgency"]);
  });

  it("a free-text severity keeps the default list", () => {
    const form = parseOk(`name: x\ndescription: x\nbody:\n  - type: input\n    id: sev\n    attributes:\n      label: Severity\n`);
    expect(levelsOf({ form, config: defaultConfig })).toEqual(["SEV1", "SEV2", "SEV3", "SEV4"]);
  });
});

describe("once per setup", () => {
  it("rolesOf returns the same object for the same form and config", () => {
    const form = formFixture("acme-incident");
    expect(rolesOf(form, defaultConfig)).toBe(rolesOf(form, defaultConfig));
    expect(rolesOf(form, config({}))).not.toBe(rolesOf(form, defaultConfig));
  });

  it("a form with 300 fields matches only the first 200 and is still resolved", () => {
    const fields = Array.from({ length: 300 }, (_, i) => `  - type: input\n    id: f${i}\n    attributes:\n      label: ${i === 250 ? "Impact started" : `Question ${i}`}\n`).join("");
    const roles = resolveRoles(parseOk(`name: x\ndescription: x\nbody:\n${fields}`), defaultConfig);
    expect(MAX_FIELDS_MATCHED).toBe(200);
    expect(roles.byRole.started_at.field).toBeNull();
  });
});

function parseOk(text: string) {
  const result = parseForm(text, "test.yml");
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.form;
}

describe("docs/forms.md", () => {
  it("lists every synonym of the table", () => {
    const doc = readFileSync(new URL("../../docs/forms.md", import.meta.url), "utf8");
    for (const [role, synonyms] of Object.entries(ROLE_SYNONYMS)) {
      const row = doc.split("\n").find((line) => line.startsWith(`| \`${role}\` | ${synonyms.types.join(", ")} |`));
      expect(row, role).toBeDefined();
      for (const synonym of [...synonyms.en, ...synonyms.ja]) expect(row, `${role}: ${synonym}`).toContain(`\`${synonym}\``);
    }
  });
});
