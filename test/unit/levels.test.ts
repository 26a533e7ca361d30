import { describe, expect, it } from "vitest";
import { parseConfigFile, resolveConfig } from "../../src/config/load.js";
import { defaultConfig, type ConfigInput } from "../../src/config/schema.js";
import { defaultForm, loadSetup, type FileReader } from "../../src/config/setup.js";
import { parseBody } from "../../src/form/body.js";
import { addBusinessDays, calendarOf } from "../../src/postmortem/business-days.js";
import { budgetConsumed, disagrees, evaluateBudget, parseShare } from "../../src/postmortem/error-budget.js";
import { followUpDueDate, incidentLevels, levelNamed, parseLevelCommand, requiredFieldsOf, reviewDeadline } from "../../src/postmortem/levels.js";
import { buildForm } from "../../src/form/template.js";
import { renderLevelSection } from "../../src/postmortem/level-status.js";
import { validatePostmortem } from "../../src/postmortem/validate.js";
import { body, fixture, formFixture } from "../helpers/fixtures.js";

const config = (input: ConfigInput = {}) => resolveConfig(input as Record<string, unknown>);
const at = (iso: string) => Date.parse(iso);
/** The built-in form with a config: severities come from its dropdown unless the config lists them. */
const on = (c: ReturnType<typeof config>) => ({ config: c, form: defaultForm() });
const DEFAULT = on(defaultConfig);

describe("business days", () => {
  const utc = calendarOf({ timezone: "UTC", holidays: [] });
  const tokyo = calendarOf({ timezone: "Asia/Tokyo", holidays: [] });

  it("skip Saturdays and Sundays", () => {
    // Friday 2026-11-20 + 5: Mon 23, Tue 24, Wed 25, Thu 26, Fri 27.
    expect(addBusinessDays(at("2026-11-20T06:41:00Z"), 5, utc).date).toBe("2026-11-27");
    // Saturday 2026-11-21 + 1: Monday 23, as from the Friday before.
    expect(addBusinessDays(at("2026-11-21T12:00:00Z"), 1, utc).date).toBe("2026-11-23");
    // Tuesday 2026-12-01 + 20: Dec 2-4 (3), 7-11 (8), 14-18 (13), 21-25 (18), 28 (19), 29 (20).
    expect(addBusinessDays(at("2026-12-01T03:00:00Z"), 20, utc).date).toBe("2026-12-29");
  });

  it("count on the calendar of the config's zone", () => {
    // 2026-11-22T20:00Z is Sunday in UTC but Monday 05:00 in Tokyo.
    expect(addBusinessDays(at("2026-11-22T20:00:00Z"), 1, utc).date).toBe("2026-11-23");
    expect(addBusinessDays(at("2026-11-22T20:00:00Z"), 1, tokyo).date).toBe("2026-11-24");
    // The deadline ends at midnight in Tokyo: 2026-11-24T24:00+09:00 = 2026-11-24T15:00Z (minus 1 ms).
    expect(addBusinessDays(at("2026-11-22T20:00:00Z"), 1, tokyo).endsAt).toBe(at("2026-11-24T15:00:00Z") - 1);
  });

  it("skip holidays", () => {
    // 2026-11-23 is Labour Thanksgiving Day in Japan: Friday 20 + 5 = Tue 24 … Mon 30.
    const calendar = calendarOf({ timezone: "Asia/Tokyo", holidays: ["2026-11-23"] });
    expect(addBusinessDays(at("2026-11-20T06:41:00Z"), 5, calendar).date).toBe("2026-11-30");
  });
});

describe("error budget", () => {
  it("is impact × share ÷ (window × (1 − target))", () => {
    // 20 min at 100% of 99.9% / 30 days: budget 43,200 min × 0.001 = 43.2 min; 20 / 43.2 = 46.296%.
    expect(budgetConsumed(20 * 60, 1, { target: 99.9, window: "30d" })).toBeCloseTo(46.296, 3);
    // 90 min at 25% of 99.95% / 30 days: 22.5 / 21.6 = 104.17%.
    expect(budgetConsumed(90 * 60, 0.25, { target: 99.95, window: "30d" })).toBeCloseTo(104.167, 3);
    // 20 min of 99.5% / 4 weeks: 40,320 × 0.005 = 201.6 min; 20 / 201.6 = 9.92%.
    expect(budgetConsumed(20 * 60, 1, { target: 99.5, window: "4w" })).toBeCloseTo(9.921, 3);
    // 720h is 30 days.
    expect(budgetConsumed(20 * 60, 1, { target: 99.9, window: "720h" })).toBeCloseTo(46.296, 3);
  });

  it("reads the affected share as a percentage or a fraction", () => {
    expect(parseShare("25%")).toEqual({ ok: true, share: 0.25 });
    expect(parseShare(" 38 % ")).toEqual({ ok: true, share: 0.38 });
    expect(parseShare("0.25")).toEqual({ ok: true, share: 0.25 });
    expect(parseShare("25")).toEqual({ ok: true, share: 0.25 });
    expect(parseShare("1")).toEqual({ ok: true, share: 1 });
    expect(parseShare("100%")).toEqual({ ok: true, share: 1 });
    for (const bad of ["150%", "0", "0%", "about half", "-5%"]) expect(parseShare(bad), bad).toEqual({ ok: false });
  });

  it("flags a stated figure more than 10 points or 2× away from every computed one", () => {
    expect(disagrees(46, [46.3])).toBe(false);
    expect(disagrees(68, [46.3])).toBe(true); // 21.7 points
    expect(disagrees(5, [9.9])).toBe(false); // 4.9 points, 1.98×
    expect(disagrees(4, [9.9])).toBe(true); // 2.475×
    expect(disagrees(68, [46.3, 70])).toBe(false); // close to one of them
    expect(disagrees(50, [])).toBe(false);
  });

  const slos = [
    { name: "checkout availability", target: 99.9, window: "30d" },
    { name: "api latency", target: 99.5, window: "4w" },
  ];
  const form = defaultForm();
  const body = (slo: string, share: string) =>
    [
      "### Impact started", "", "2026-11-20 14:03 Asia/Tokyo", "",
      "### Recovered", "", "2026-11-20 15:41 JST", "",
      "### Affected SLOs", "", slo, "",
      "### Affected share", "", share, "",
    ].join("\r\n");
  const timeline = { startedAt: at("2026-11-20T05:03:00Z"), recoveredAt: at("2026-11-20T06:41:00Z") };

  it("computes each named SLO's figure from the form's fields", () => {
    const result = evaluateBudget(parseBody(body("checkout availability, API latency", "38%"), form), form, config({ slos }), timeline);
    // 98 min × 0.38 = 37.24 min; ÷ 43.2 = 86.2%; ÷ 201.6 = 18.5%.
    expect(result).toMatchObject({
      impactSeconds: 98 * 60,
      share: 0.38,
      shareGiven: true,
      slos: [
        { name: "checkout availability", consumedPercent: 86.2 },
        { name: "api latency", consumedPercent: 18.5 },
      ],
      problems: [],
    });
  });

  it("assumes 100% without a share, and reports unknown SLOs and unreadable shares", () => {
    const full = evaluateBudget(parseBody(body("- checkout availability", "_No response_"), form), form, config({ slos }), timeline);
    // 98 / 43.2 = 226.9%.
    expect(full).toMatchObject({ share: 1, shareGiven: false, slos: [{ consumedPercent: 226.9 }] });
    const bad = evaluateBudget(parseBody(body("checkout, api latency", "most"), form), form, config({ slos }), timeline);
    expect(bad?.problems.map((p) => [p.code, p.values])).toEqual([
      ["unknown-slo", ["checkout"]],
      ["share-invalid", ["most"]],
    ]);
    expect(evaluateBudget(parseBody(body("_No response_", "50%"), form), form, config({ slos }), timeline)).toBeNull();
    expect(evaluateBudget(parseBody(body("checkout availability", "50%"), form), form, config({ slos: [] }), timeline)).toBeNull();
  });
});

describe("levels", () => {
  it("default to one level per severity with the built-in rules of its rank", () => {
    const { levels, configured } = incidentLevels(DEFAULT);
    expect(configured).toBe(false);
    expect(levels.map((l) => [l.name, l.required_fields, l.follow_up_due_business_days, l.review_within_business_days])).toEqual([
      ["SEV1", ["timeline", "root-causes"], 20, 5],
      ["SEV2", ["timeline", "root-causes"], 30, 10],
      ["SEV3", [], 60, undefined],
      ["SEV4", [], 90, undefined],
    ]);
    // Renamed severities keep the rules by rank; a fifth takes the lowest level's.
    const renamed = incidentLevels(on(config({ severities: ["P0", "P1", "P2", "P3", "P4"] }))).levels;
    expect(renamed.map((l) => [l.name, l.follow_up_due_business_days])).toEqual([["P0", 20], ["P1", 30], ["P2", 60], ["P3", 90], ["P4", 90]]);
  });

  it("state the built-in definitions in the config's language; configured ones as written", () => {
    expect(incidentLevels(DEFAULT).levels.map((l) => l.definition.split(":")[0])).toEqual(["Critical", "Major", "Minor", "Low"]);
    const ja = incidentLevels(on(config({ language: "ja", severities: ["P0", "P1", "P2", "P3", "P4"] }))).levels;
    expect(ja.map((l) => l.definition.split(":")[0])).toEqual(["致命的", "重大", "軽微", "低", "低"]);
    const own = incidentLevels(on(config({ language: "ja", levels: [{ name: "SEV1", definition: "Customers cannot pay." }] }))).levels;
    expect(own[0]!.definition).toBe("Customers cannot pay.");
  });

  it("are found from the severity answer", () => {
    expect(levelNamed("SEV1 - critical", DEFAULT)?.name).toBe("SEV1");
    expect(levelNamed("sev2", DEFAULT)?.name).toBe("SEV2");
    expect(levelNamed("SEV9", DEFAULT)).toBeNull();
    expect(levelNamed(null, DEFAULT)).toBeNull();
  });

  it("require fields by id, role or label, skipping built-in entries the form lacks", () => {
    const acme = formFixture("acme-incident");
    expect(requiredFieldsOf(incidentLevels(DEFAULT).levels[0]!, defaultForm(), defaultConfig).map((f) => f.id)).toEqual(["timeline", "root-causes"]);
    expect(requiredFieldsOf(incidentLevels(DEFAULT).levels[0]!, acme, defaultConfig)).toEqual([]);
    const level = { name: "P1", definition: "x", required_fields: ["logs", "recovered_at", "Affected services"] };
    expect(requiredFieldsOf(level, acme, config({ fields: { recovered_at: "fixed" } })).map((f) => f.id)).toEqual(["logs", "fixed", "services"]);
  });

  it("give a review deadline from recovery, and from the budget when over the threshold", () => {
    const recovered = at("2026-11-20T06:41:00Z"); // Friday, 15:41 in Tokyo
    const tokyo = config({ timezone: "Asia/Tokyo", reviews: { require_over_budget: 50 } });
    const [sev1, , sev3] = incidentLevels(on(tokyo)).levels;
    expect(reviewDeadline(sev1!, recovered, null, tokyo)).toMatchObject({ date: "2026-11-27", because: "level", businessDays: 5 });
    expect(reviewDeadline(sev3!, recovered, 40, tokyo)).toBeNull();
    expect(reviewDeadline(sev3!, recovered, 86.2, tokyo)).toMatchObject({ date: "2026-11-27", because: "budget", businessDays: 5 });
    expect(reviewDeadline(sev1!, undefined, 86.2, tokyo)).toBeNull();
    expect(reviewDeadline(sev3!, recovered, 86.2, defaultConfig)).toBeNull();
  });

  it("give follow-ups a due date from the publish date", () => {
    const [sev1, sev2] = incidentLevels(DEFAULT).levels;
    // Tuesday 2026-12-01 + 20 business days = 2026-12-29; + 30 = 2027-01-12 (Dec 30, 31, Jan 1, 4-8, 11, 12).
    expect(followUpDueDate(sev1!, at("2026-12-01T03:00:00Z"), defaultConfig)).toBe("2026-12-29");
    expect(followUpDueDate(sev2!, at("2026-12-01T03:00:00Z"), defaultConfig)).toBe("2027-01-12");
    expect(followUpDueDate(null, at("2026-12-01T03:00:00Z"), defaultConfig)).toBeNull();
  });

  it("are re-evaluated by a command naming a known level and a reason", () => {
    expect(parseLevelCommand(["sev2", "only", "EU", "users"], DEFAULT)).toMatchObject({ ok: true, level: { name: "SEV2" }, reason: "only EU users" });
    expect(parseLevelCommand([], DEFAULT)).toMatchObject({ ok: false, error: "no-level" });
    expect(parseLevelCommand(["SEV7", "x"], DEFAULT)).toMatchObject({ ok: false, error: "unknown-level", names: ["SEV1", "SEV2", "SEV3", "SEV4"] });
    expect(parseLevelCommand(["SEV2"], DEFAULT)).toMatchObject({ ok: false, error: "no-reason" });
  });
});

describe("levels and SLO config", () => {
  const problems = (text: string) => {
    const result = parseConfigFile(text, "c.yml");
    return result.ok ? [] : result.problems.map((p) => [p.line, p.message]);
  };

  it("reports a bad level or SLO at its line", () => {
    const text = [
      "levels:", //                                1
      "  - name: SEV1", //                         2
      "    definition: all users cannot pay", //   3
      "    follow_up_due_business_days: 0", //     4
      "  - name: sev1", //                         5
      "    definition: again", //                  6
      "slos:", //                                  7
      "  - name: checkout", //                     8
      "    target: 100", //                        9
      "    window: 30 days", //                   10
      "  - name: Checkout", //                    11
      "    target: 99.9", //                      12
      "    window: 30d", //                       13
      "holidays: [2026-02-30]", //                14
    ].join("\n");
    const found = problems(text);
    expect(found.map(([line]) => line)).toEqual([4, 5, 9, 10, 11, 14]);
    expect(found[1]![1]).toMatch(/repeats the level 'sev1' \(entry 1\)/);
    expect(found[2]![1]).toMatch(/'slos.0.target' must be a percentage above 0 and below 100/);
    expect(found[3]![1]).toMatch(/must be a window such as 30d/);
    expect(found[4]![1]).toMatch(/repeats the SLO 'Checkout'/);
    expect(found[5]![1]).toMatch(/must be a real date/);
  });

  it("checks configured levels against the form and the severities, at the line of the file that set them", async () => {
    const files: Record<string, string> = {
      "acme/incidents:.github/postmortem.yml": [
        "_extends: .github", //                       1
        "levels:", //                                 2
        "  - name: SEV1", //                          3
        "    definition: all users cannot pay", //    4
        "    required_fields: [timeline, runbook]", // 5
        "  - name: SEV5", //                          6
        "    definition: nobody noticed", //          7
      ].join("\n"),
      "acme/.github:.github/postmortem.yml": "severities: [SEV1, SEV2, SEV3, SEV4, SEV5]",
    };
    const reader: FileReader = { read: async (ref, path) => files[`${ref.owner}/${ref.repo}:${path}`] ?? null };
    const result = await loadSetup(reader, { owner: "acme", repo: "incidents" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.file, p.line])).toEqual([
      ["acme/incidents:.github/postmortem.yml", 5],
      ["acme/incidents:.github/postmortem.yml", 6],
    ]);
    expect(result.problems[0]!.message).toMatch(/level 'SEV1' requires 'runbook', which is neither a field id, a role nor a label of the form/);
    expect(result.problems[1]!.message).toMatch(/level 'SEV5' is not among the options of the form's 'Severity' dropdown \(SEV1, SEV2, SEV3, SEV4\)/);
  });

  it("accepts the built-in levels with a form that lacks their fields", async () => {
    const files: Record<string, string> = {
      "acme/incidents:.github/postmortem.yml": fixture("forms/acme-incident.config.yml"),
      "acme/incidents:.github/ISSUE_TEMPLATE/acme-incident.yml": fixture("forms/acme-incident.yml"),
    };
    const reader: FileReader = { read: async (ref, path) => files[`${ref.owner}/${ref.repo}:${path}`] ?? null };
    const result = await loadSetup(reader, { owner: "acme", repo: "incidents" });
    expect(result.ok && incidentLevels(result.setup).levels.map((l) => l.name)).toEqual(["P0", "P1", "P2", "P3"]);
  });
});

describe("levels in validation and the status comment", () => {
  const teams = { backend: { repo: "acme/backend" }, sre: { repo: "acme/sre", handles: ["@acme/sre"] } };
  const NOW = new Date("2026-11-27T00:00:00Z");
  const noLuck = body("complete").replace(/### Where we got lucky\n\n[\s\S]*?\n\n\n?(?=### Timeline)/, "### Where we got lucky\n\n_No response_\n\n");

  it("requires the level's fields like any required field, naming the level, at the evaluated level when there is one", () => {
    const levels = [
      { name: "SEV1", definition: "All learners cannot pay.", required_fields: ["got-lucky"] },
      { name: "SEV2", definition: "Some learners cannot pay.", required_fields: [] },
    ];
    const cfg = config({ severities: ["SEV1", "SEV2"], levels, teams });
    const declared = validatePostmortem({ body: noLuck, form: defaultForm(), config: cfg, now: NOW });
    expect(declared.valid).toBe(true);
    const evaluation = { level: "SEV1", by: "carol", at: "2026-11-21T00:00:00Z", reason: "all learners" };
    const evaluated = validatePostmortem({ body: noLuck, form: defaultForm(), config: cfg, now: NOW, evaluation });
    expect(evaluated.problems).toEqual([
      {
        field: "got-lucky",
        code: "level-required",
        message: "**Where we got lucky** is required for SEV1 incidents but empty. Write it under the `### Where we got lucky` heading (replace `_No response_`), or add the heading if it is gone.",
      },
    ]);
    const ja = validatePostmortem({ body: noLuck, form: defaultForm(), config: config({ language: "ja", severities: ["SEV1", "SEV2"], levels, teams }), now: NOW, evaluation });
    expect(ja.problems[0]!.message).toBe("SEV1 のインシデントでは「Where we got lucky」が必須ですが、空欄です。`### Where we got lucky` 見出しの下に書いてください（`_No response_` を書き換えます）。見出しが消えている場合は追加してください。");
  });

  it("renders the level's checklist and the budget, flagging a stated figure far from the computed one", () => {
    const form = buildForm("f.yml", "PM", [...defaultForm().fields, { ...defaultForm().byId.get("slos")!, id: "budget-spent", label: "Budget spent", line: null }]);
    const cfg = config({ timezone: "Asia/Tokyo", slos: [{ name: "checkout availability", target: 99.9, window: "30d" }], reviews: { require_over_budget: 50 }, teams });
    const text = body("complete-slo").replace("checkout availability, api latency", "checkout availability") + "\r\n\r\n### Budget spent\r\n\r\n68%";
    const v = validatePostmortem({ body: text, form, config: cfg, now: NOW });
    expect(v.problems).toEqual([]);
    const section = renderLevelSection(v.level, { language: "en", zone: "Asia/Tokyo", published: false, overBudgetThreshold: 50, now: NOW }).join("\n");
    expect(section).toBe(
      [
        "#### Level: SEV2",
        "",
        "Major: a core feature is broken or badly degraded for many customers, with no workaround.",
        "",
        "- [x] **Timeline** is written",
        "- [x] **Root causes** is written",
        "- Follow-ups without a `due:` date are due 30 business days after publishing",
        "- [ ] Review (publish) by 2026-12-04: 10 business days after recovery",
        "",
        "<sub>Business days skip Saturdays, Sundays and the configured holidays, in Asia/Tokyo.</sub>",
        "",
        "#### Error budget",
        "",
        "| SLO | Target | Window | Budget consumed |",
        "| --- | ---: | --- | ---: |",
        "| checkout availability | 99.9% | 30d | 86.2% |",
        "",
        "Affected share: 38% (from **Affected share**).",
        "Stated in **Budget spent**: 68%.",
        "",
        "> [!WARNING]",
        "> The stated budget spent (68%) is far from the computed figure (86.2%): more than 10 points or 2× apart. Check the affected share and the timestamps, or correct the stated figure.",
        "",
        "<sub>Budget consumed = impact duration × affected share ÷ (SLO window × (1 − target)); impact duration = recovered − impact started.</sub>",
      ].join("\n"),
    );
    // Past the deadline, and once published.
    const later = { language: "ja" as const, zone: "Asia/Tokyo", published: false, overBudgetThreshold: 50, now: new Date("2026-12-05T00:00:00Z") };
    expect(renderLevelSection(v.level, later)).toContain("- [ ] ⚠️ レビューの期限は2026年12月4日でした");
    expect(renderLevelSection(v.level, { ...later, published: true })).toContain("- [x] レビュー済みで公開されています");
  });

  it("requires a review over the budget threshold when the level sets none", () => {
    const cfg = config({ slos: [{ name: "checkout availability", target: 99.9, window: "30d" }], reviews: { require_over_budget: 50 }, teams });
    const sev3 = body("complete-slo").replace("\r\nSEV2\r\n", "\r\nSEV3\r\n").replace("checkout availability, api latency", "checkout availability");
    const v = validatePostmortem({ body: sev3, form: defaultForm(), config: cfg, now: NOW });
    // SEV3 sets no review window; 86.2% > 50%: 5 business days after Friday 2026-11-20 (UTC): 2026-11-27.
    expect(v.level.review).toMatchObject({ date: "2026-11-27", because: "budget", businessDays: 5 });
    expect(renderLevelSection(v.level, { language: "en", zone: "UTC", published: false, overBudgetThreshold: 50, now: NOW })).toContain(
      "- [ ] Review (publish) by 2026-11-27: 5 business days after recovery, because the incident consumed more than 50% of an error budget",
    );
  });
});
