import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/schema.js";
import { defaultForm } from "../../src/config/setup.js";
import { knownSeverity, validatePostmortem } from "../../src/postmortem/validate.js";
import { body, configFixture, FIXTURE_NOW, formFixture } from "../helpers/fixtures.js";

const teams = configFixture("configs/teams.yml");
const validate = (name: string, overrides: Partial<Parameters<typeof validatePostmortem>[0]> = {}) =>
  validatePostmortem({ body: body(name), form: defaultForm(), config: teams, now: FIXTURE_NOW, home: { owner: "acme", repo: "incidents" }, ...overrides });

const codes = (v: ReturnType<typeof validate>) => v.problems.map((p) => [p.field, p.code]);

describe("validatePostmortem", () => {
  it.each(["complete", "complete-crlf"])("accepts %s and computes TTD 12m, TTM 47m, TTR 1h 38m", (name) => {
    const v = validate(name);
    expect(v.problems).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.severity).toBe("SEV2");
    expect([v.metrics.ttd.seconds, v.metrics.ttm.seconds, v.metrics.ttr.seconds]).toEqual([12 * 60, 47 * 60, 98 * 60]);
  });

  it("reports each empty required field, the order and the unticked box of incomplete.md", () => {
    expect(codes(validate("incomplete"))).toEqual([
      ["severity", "required"],
      ["impact", "required"],
      ["trigger", "required"],
      ["detection", "required"],
      ["action-items", "required"],
      ["went-well", "required"],
      ["blameless", "checkbox-required"],
      ["recovered", "timestamp-order"],
    ]);
  });

  it("explains each problem: the field by its label and how to fix it", () => {
    const [severity] = validate("incomplete").problems;
    expect(severity?.message).toBe("**Severity** is required but empty. Choose one of `SEV1`, `SEV2`, `SEV3`, `SEV4`.");
    const order = validate("incomplete").problems.at(-1);
    expect(order?.message).toMatch(/\*\*Recovered\*\* is earlier than \*\*Detected\*\*.*Impact started ≤ Detected ≤ Mitigated ≤ Recovered/);
  });

  it("reports one problem per bad timestamp", () => {
    expect(codes(validate("bad-timestamps"))).toEqual([
      ["impact-started", "timestamp-impossible"],
      ["detected", "timestamp-ambiguous-zone"],
      ["mitigated", "timestamp-unknown-zone"],
      ["recovered", "timestamp-future"],
    ]);
  });

  it("reads tricky.md: fences, typed headings and a local time in the default zone", () => {
    const v = validate("tricky");
    expect(v.problems).toEqual([]);
    expect([v.metrics.ttd.seconds, v.metrics.ttm.seconds, v.metrics.ttr.seconds]).toEqual([8 * 60, 33 * 60, 90 * 60]);
  });

  it("reads a local time in the configured zone", () => {
    // tricky.md's recovered time has no zone; read in Asia/Tokyo it falls before impact started.
    const v = validate("tricky", { config: { ...teams, timezone: "Asia/Tokyo" } });
    expect(codes(v)).toEqual([["recovered", "timestamp-order"]]);
  });

  it("reports renamed headings and a body not written from the form", () => {
    expect(codes(validate("renamed-heading"))).toEqual([
      ["trigger", "missing-section"],
      ["detection", "missing-section"],
    ]);
    const noForm = validate("no-form");
    expect(codes(noForm)).toEqual([[null, "not-a-form"]]);
    expect(noForm.problems[0]?.message).toContain("`### Summary`");
  });

  it("validates a third-party form through the config's field mapping", () => {
    const config = configFixture("forms/acme-incident.config.yml");
    const form = formFixture("acme-incident");
    const ok = validate("acme-complete", { config, form });
    expect(ok.problems).toEqual([]);
    expect(ok.severity).toBe("P1");
    expect([ok.metrics.ttd.seconds, ok.metrics.ttr.seconds, ok.metrics.ttm.seconds]).toEqual([19 * 60, 50 * 60, null]);
    expect(ok.metrics.ttm.unavailable).toBe("no mitigated time given");
    expect(codes(validate("acme-bad-option", { config, form }))).toEqual([
      ["sev", "invalid-option"],
      ["services", "invalid-option"],
      ["sign-off", "checkbox-required"],
    ]);
  });

  it("refuses a severity the config does not know, once", () => {
    const config = { ...teams, severities: ["SEV1", "SEV2"] };
    expect(codes(validate("complete", { config }))).toEqual([]);
    const v = validate("complete", { config: { ...config, severities: ["SEV1"] } });
    expect(codes(v)).toEqual([["severity", "unknown-severity"]]);
    expect(v.problems[0]?.message).toContain("add it to `severities` in .github/postmortem.yml");
  });

  it("reports a future time against the clock it is given", () => {
    const v = validate("complete", { now: new Date("2026-11-20T05:30:00Z") });
    expect(codes(v)).toEqual([
      ["mitigated", "timestamp-future"],
      ["recovered", "timestamp-future"],
    ]);
  });

  it("matches severities by prefix followed by punctuation or space only", () => {
    expect(knownSeverity("SEV1 - critical", ["SEV1"])).toBe("SEV1");
    expect(knownSeverity("sev1", ["SEV1"])).toBe("SEV1");
    expect(knownSeverity("SEV10", ["SEV1"])).toBeNull();
  });

  it("reports action items whose owner the config cannot resolve, listing the known teams", () => {
    const v = validate("complete", { config: defaultConfig });
    expect(codes(v)).toEqual([
      ["action-items", "action-item-owner-unknown"],
      ["action-items", "action-item-owner-unknown"],
    ]);
    expect(v.problems[0]?.message).toContain("No teams are configured");
    expect(v.problems[1]?.message).toContain("`@\u200bacme/sre` is not mapped");
    const withOther = validate("complete", { config: { ...teams, teams: { web: teams.teams.backend! } } });
    expect(withOther.problems[0]?.message).toContain("Known teams: `web`");
  });

  it("reports bad types, due dates and missing owners; a plain bullet is an item and prose is skipped", () => {
    const text = body("complete").replace(
      /### Action items\n\n[\s\S]*?\n\n### What went well/,
      "### Action items\n\n- [ ] Fix it owner: backend type: someday due: 2026-02-30\n- [ ] No owner here\n- plain bullet owner: backend\n\nA stray paragraph.\n\n### What went well",
    );
    expect(codes(validate("complete", { body: text }))).toEqual([
      ["action-items", "action-item-type"],
      ["action-items", "action-item-due"],
      ["action-items", "action-item-owner-missing"],
    ]);
  });

  it("does not demand roles the form lacks", () => {
    const form = formFixture("acme-incident");
    const v = validate("acme-complete", { form, config: configFixture("forms/acme-incident.config.yml") });
    expect(v.problems.some((p) => p.field === "mitigated")).toBe(false);
  });
});
