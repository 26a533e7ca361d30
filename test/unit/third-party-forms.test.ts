import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/schema.js";
import { validatePostmortem, type Validation } from "../../src/postmortem/validate.js";
import { body, FIXTURE_NOW, formFixture } from "../helpers/fixtures.js";

// Every case here runs with NO `fields:` and NO `severities:` config: roles and levels come from the form.
const validate = (form: string, name: string): Validation =>
  validatePostmortem({ body: body(name), form: formFixture(form), config: defaultConfig, now: FIXTURE_NOW, home: { owner: "acme", repo: "incidents" } });
const codes = (v: Validation) => v.problems.map((p) => [p.field, p.code]);
const minutes = (v: Validation) => [v.metrics.ttd.seconds, v.metrics.ttr.seconds, v.metrics.ttm.seconds].map((s) => (s === null ? null : s / 60));

describe("third-party forms validated with no fields: config", () => {
  it("boilerplate-devops complete: ready; Sev2; TTD 18m as stated, TTR 53m (02:11Z → 03:04 UTC); three tracked action items", () => {
    const v = validate("boilerplate-devops-postmortem", "boilerplate-devops-complete");
    expect(codes(v)).toEqual([]);
    expect(v.severity).toBe("Sev2");
    expect(minutes(v)).toEqual([18, 53, null]);
    expect(v.metrics.ttd.stated).toBe(true);
    expect(v.metrics.ttr.stated).toBeUndefined();
    expect(v.actionItems.map((i) => [i.type, i.ref?.number])).toEqual([["detect", 412], ["prevent", 413], ["process", 414]]);
  });

  it("boilerplate-devops incomplete: severity None, no end, no summary, `about 20` minutes", () => {
    const v = validate("boilerplate-devops-postmortem", "boilerplate-devops-incomplete");
    expect(codes(v)).toEqual([
      ["severity", "required"],
      ["resolved-at", "required"],
      ["summary", "required"],
      ["time-to-detect", "duration-format"],
    ]);
    expect(minutes(v)).toEqual([null, null, null]);
  });

  it("art-world-hub complete: ready; P1 of `P1 — Major feature degradation`; TTR 45m from the one window field", () => {
    const v = validate("art-world-hub-postmortem", "art-world-hub-complete");
    expect(codes(v)).toEqual([]);
    expect(v.severity).toBe("P1");
    expect(minutes(v)).toEqual([null, 45, null]);
    expect(v.timeline).toEqual({ startedAt: Date.parse("2026-11-18T14:50:00Z"), recoveredAt: Date.parse("2026-11-18T15:35:00Z") });
    expect(v.actionItems.map((i) => i.ref?.number)).toEqual([88, 89, 90]);
  });

  it("art-world-hub incomplete: severity None, no action items, a window that is not one", () => {
    const v = validate("art-world-hub-postmortem", "art-world-hub-incomplete");
    expect(codes(v)).toEqual([
      ["severity", "required"],
      ["action-items", "required"],
      ["incident-date", "time-range-format"],
    ]);
  });

  it("batbern complete: ready; no severity field; TTR 44m from `03:47 – 04:31` read in UTC; a table of tracked items", () => {
    const v = validate("batbern-post-mortem", "batbern-complete");
    expect(codes(v)).toEqual([]);
    expect(v.severity).toBeNull();
    expect(minutes(v)).toEqual([null, 44, null]);
    expect(v.actionItems.map((i) => i.ref?.number)).toEqual([57, 58]);
  });

  it("batbern incomplete: a window ending before it starts, lessons left empty", () => {
    const v = validate("batbern-post-mortem", "batbern-incomplete");
    expect(codes(v)).toEqual([
      ["lessons_learned", "required"],
      ["impact_window", "time-range-order"],
    ]);
    expect(minutes(v)).toEqual([null, null, null]);
  });

  it("trimix (Japanese) complete: ready; P2; 検知日時 `2026/11/20 14:15（JST）` is 05:15Z; no start, so no metric", () => {
    const v = validate("trimix-incident-report", "trimix-complete");
    expect(codes(v)).toEqual([]);
    expect(v.severity).toBe("P2");
    expect(v.timeline).toEqual({ detectedAt: Date.parse("2026-11-20T05:15:00Z") });
    expect(minutes(v)).toEqual([null, null, null]);
  });

  it("trimix (Japanese) incomplete: 重大度 None, 影響範囲 empty, a year-last date refused", () => {
    const v = validate("trimix-incident-report", "trimix-incomplete");
    expect(codes(v)).toEqual([
      ["severity", "required"],
      ["impact", "required"],
      ["detected_at", "timestamp-date-order"],
    ]);
  });

  it("teraflow (Japanese) complete: ready; `high` is a level of the dropdown", () => {
    const v = validate("teraflow-incident-report", "teraflow-complete");
    expect(codes(v)).toEqual([]);
    expect(v.severity).toBe("high");
  });

  it("teraflow (Japanese) incomplete: 重大度 None and インシデント詳細 empty", () => {
    expect(codes(validate("teraflow-incident-report", "teraflow-incomplete"))).toEqual([
      ["severity", "required"],
      ["description", "required"],
    ]);
  });

  it("a P-level answer is unknown-severity only when it is not among the form's levels", () => {
    const text = body("trimix-complete").replace("P2 — 主要機能障害・セキュリティリスク", "SEV1");
    const v = validatePostmortem({ body: text, form: formFixture("trimix-incident-report"), config: defaultConfig, now: FIXTURE_NOW });
    // Not an option either, so the dropdown check speaks first and severity adds nothing.
    expect(codes(v)).toEqual([["severity", "invalid-option"]]);
  });

  it("a garbage date in a window is one clear problem, never a crash", () => {
    const text = body("batbern-complete").replace("2026-11-24 03:47 – 04:31", "2026-13-45 99:99 – ☃");
    const v = validatePostmortem({ body: text, form: formFixture("batbern-post-mortem"), config: defaultConfig, now: FIXTURE_NOW });
    expect(v.problems.map((p) => p.field)).toEqual(["impact_window"]);
    expect(v.problems[0]!.message).toContain("**Impact window (UTC)**");
  });
});
