import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/index.js";
import { configSchema, defaultConfig } from "../../src/config/schema.js";
import { defaultForm, type SetupResult } from "../../src/config/setup.js";
import { buildAggregate, type PostmortemIssue } from "../../src/postmortem/aggregate.js";
import { renderFieldsUsed } from "../../src/postmortem/fields-used.js";
import { renderStatusComment } from "../../src/postmortem/status.js";
import { parseForm } from "../../src/form/template.js";
import { validatePostmortem } from "../../src/postmortem/validate.js";
import { body, FIXTURE_NOW, formFixture } from "../helpers/fixtures.js";

const path = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));
const validateWith = (form: string, name: string, config = defaultConfig) =>
  validatePostmortem({ body: body(name), form: formFixture(form), config, now: FIXTURE_NOW });

describe("the fields used for each metric", () => {
  it("names the two fields, the window or the stated field, and what is missing (en)", () => {
    const v = validateWith("batbern-post-mortem", "batbern-complete");
    expect(renderFieldsUsed(v.roles, v.metrics, "started", "en").lines).toEqual([
      "#### Fields used",
      "",
      "- TTD: not computed; no field gives detected (add one to the form, or name it in `fields.detected_at`)",
      "- TTR = end − start of **Impact window (UTC)**",
      "- TTM: not computed; no field gives mitigated (add one to the form, or name it in `fields.mitigated_at`)",
      "",
      "<sub>Fields were matched to roles by their ids and labels. If one is wrong, name the right field under `fields:` in .github/postmortem.yml (`postmortem-bot init` shows every match).</sub>",
    ]);
  });

  it("in Japanese, quotes the fields as the form names them", () => {
    const form = formFixture("acme-incident");
    const v = validatePostmortem({ body: body("acme-complete"), form, config: configSchema.parse({ language: "ja", timezone: "Europe/Berlin", severities: ["P0", "P1", "P2", "P3"] }), now: FIXTURE_NOW });
    const lines = renderFieldsUsed(v.roles, v.metrics, "started", "ja").lines;
    expect(lines[0]).toBe("#### 使用した項目");
    expect(lines[2]).toBe("- TTD = 「Noticed at」 − 「Start of impact」 で算出");
    expect(lines[3]).toBe("- TTR = 「Fixed at」 − 「Start of impact」 で算出");
  });

  it("with ttr_from: detected, TTR starts at the detection field", () => {
    const v = validatePostmortem({ body: body("complete"), form: defaultForm(), config: configSchema.parse({ metrics: { ttr_from: "detected" } }), now: FIXTURE_NOW });
    expect(renderFieldsUsed(v.roles, v.metrics, "detected", "en").lines[3]).toBe("- TTR = **Recovered** − **Detected**");
  });

  it("a pinned fields: map shows no 'matched' note", () => {
    const config = configSchema.parse({ fields: { summary: "summary", severity: "severity", started_at: "impact-started", detected_at: "detected", mitigated_at: "mitigated", recovered_at: "recovered", action_items: "action-items", impact_window: false, time_to_detect: false, time_to_mitigate: false, time_to_recover: false, slos: "slos", affected_share: "affected-share", budget_spent: false } });
    const v = validatePostmortem({ body: body("complete"), form: defaultForm(), config, now: FIXTURE_NOW });
    expect(renderFieldsUsed(v.roles, v.metrics, "started", "en").lines.join("\n")).not.toContain("<sub>");
  });

  it("the status comment marks a stated value in the metrics row and lists the fields", () => {
    const text = body("batbern-complete");
    const v = validatePostmortem({ body: text, form: formFixture("batbern-post-mortem"), config: defaultConfig, now: FIXTURE_NOW });
    const comment = renderStatusComment(
      { status: "ready", problems: [], metrics: { ...v.metrics, ttd: { ...v.metrics.ttd, seconds: 18 * 60, stated: true } }, zone: "UTC", fieldsUsed: renderFieldsUsed(v.roles, v.metrics, "started", "en") },
      { v: 1, status: "ready" },
    );
    expect(comment).toContain("| TTD | 18m (stated) |");
    expect(comment).toContain("| TTR | 44m |");
    expect(comment).toContain("#### Fields used\n\n- TTD: not computed");
  });
});

describe("lint says which fields it used", () => {
  it("text and JSON, on a third-party form with no config", async () => {
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: () => {} };
    const args = ["lint", path("bodies/batbern-complete.md"), "--template", path("forms/batbern-post-mortem.yml"), "--now", "2026-11-27T00:00:00Z"];
    expect(await main(args, io)).toBe(0);
    expect(out.join("\n")).toContain("  TTR = end − start of Impact window (UTC)");
    out.length = 0;
    expect(await main([...args, "--format", "json"], io)).toBe(0);
    const json = JSON.parse(out.join("\n")) as { metric_sources: Record<string, unknown>; roles: Record<string, unknown> };
    expect(json.metric_sources).toEqual({ TTD: { kind: "missing", roles: ["detected_at"] }, TTR: { kind: "window", field: "impact_window" }, TTM: { kind: "missing", roles: ["mitigated_at"] } });
    expect(json.roles.started_at).toEqual({ field: "impact_window", source: "window" });
    expect(json.roles.severity).toBeNull();
  });
});

describe("reports group by the form's levels", () => {
  it("P1 of `P1 — Major feature degradation`, in the dropdown's order", () => {
    const form = formFixture("trimix-incident-report");
    const setups = new Map<string, SetupResult>([["acme/ops", { ok: true, setup: { config: defaultConfig, form, sources: [] } }]]);
    const issue = (number: number, level: string): PostmortemIssue => ({
      repo: "acme/ops",
      number,
      title: `#${number}`,
      url: `https://github.com/acme/ops/issues/${number}`,
      body: body("trimix-complete").replace("P2 — 主要機能障害・セキュリティリスク", level),
      state: "closed",
      createdAt: "2026-11-20T06:00:00Z",
      labels: ["postmortem"],
    });
    const agg = buildAggregate([issue(1, "P3 — 部分的な障害・軽微な影響"), issue(2, "P1 — 本番サービス停止・データ損失"), issue(3, "P3 — 部分的な障害・軽微な影響")], setups, { now: FIXTURE_NOW });
    expect(agg.bySeverity.map((g) => [g.severity, g.count])).toEqual([["P1", 1], ["P2", 0], ["P3", 2]]);
  });
});

describe("a form with 300 fields", () => {
  it("a body that follows none of it gets one problem naming 20 headings, not 300", () => {
    const fields = Array.from({ length: 300 }, (_, i) => `  - type: input\n    id: f${i}\n    attributes:\n      label: Question ${i}\n`).join("");
    const result = parseForm(`name: Big\ndescription: x\nbody:\n${fields}`, "big.yml");
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const v = validatePostmortem({ body: "no headings here", form: result.form, config: defaultConfig, now: FIXTURE_NOW });
    expect(v.problems.map((p) => p.code)).toEqual(["not-a-form"]);
    expect(v.problems[0]!.message.match(/### Question/g)).toHaveLength(20);
    expect(v.problems[0]!.message).toContain("… (280)");
  });
});
