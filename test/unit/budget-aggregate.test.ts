import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/load.js";
import { defaultForm, type SetupResult } from "../../src/config/setup.js";
import { buildAggregate, type PostmortemIssue } from "../../src/postmortem/aggregate.js";
import { renderCsv, renderMarkdown, toReportJson } from "../../src/postmortem/report-render.js";
import { body } from "../helpers/fixtures.js";

const NOW = new Date("2026-11-27T00:00:00Z");
const config = resolveConfig({
  slos: [{ name: "checkout availability", target: 99.9, window: "30d" }],
  teams: { backend: { repo: "acme/backend" }, sre: { repo: "acme/sre", handles: ["@acme/sre"] } },
});
const SETUPS = new Map<string, SetupResult>([["acme/payments", { ok: true, setup: { config, form: defaultForm(), sources: [] } }]]);

/** The complete CRLF fixture (SEV2, impact 14:03 → 15:41 JST on 2026-11-20: 98 minutes), naming an SLO and a share. */
function postmortem(number: number, edit: { share?: string; severity?: string; recovered?: string; mitigated?: string; date?: string; labels?: string[] }): PostmortemIssue {
  let text = body("complete-crlf").replace(
    "### Root causes\r\n",
    `### Affected SLOs\r\n\r\ncheckout availability\r\n\r\n### Affected share\r\n\r\n${edit.share ?? "_No response_"}\r\n\r\n### Root causes\r\n`,
  );
  if (edit.severity) text = text.replace("### Severity\r\n\r\nSEV2", `### Severity\r\n\r\n${edit.severity}`);
  if (edit.recovered) text = text.replace("2026-11-20 15:41 JST", edit.recovered);
  if (edit.mitigated) text = text.replace("2026-11-20T05:50Z", edit.mitigated);
  if (edit.date) text = text.replaceAll("2026-11-20", edit.date);
  return {
    repo: "acme/payments",
    number,
    title: `Incident ${number}`,
    url: `https://github.com/acme/payments/issues/${number}`,
    body: text,
    state: "open",
    createdAt: "2026-11-21T00:00:00Z",
    labels: ["postmortem", ...(edit.labels ?? [])],
  };
}

const postmortems = [
  // 98 min × 38% = 37.24 min of a 43.2-minute budget: 86.2%.
  postmortem(1, { share: "38%" }),
  // SEV1 re-evaluated to SEV2; 14:03 → 14:23, 20 min × 100%: 46.3%.
  postmortem(2, { severity: "SEV1", recovered: "2026-11-20 14:23 JST", mitigated: "2026-11-20T05:20Z", labels: ["evaluated: SEV2"] }),
  // On 2026-10-01, a window earlier; re-evaluated to its own level. 98 min × 0.25 = 24.5 min: 56.7%.
  postmortem(3, { share: "0.25", date: "2026-10-01", labels: ["evaluated: sev2"] }),
];
const aggregate = buildAggregate(postmortems, SETUPS, { now: NOW });

describe("error budget and levels in the report", () => {
  it("gives each postmortem its figure and its evaluated level", () => {
    expect(aggregate.rows.map((r) => [r.number, r.complete, r.problems, r.severity, r.evaluatedLevel, r.budget.map((b) => b.consumedPercent)])).toEqual([
      [3, true, [], "SEV2", "SEV2", [56.7]],
      [1, true, [], "SEV2", null, [86.2]],
      [2, true, [], "SEV1", "SEV2", [46.3]],
    ]);
  });

  it("sums the budget consumed per window of the SLO's length, the last ending at the period's end", () => {
    const [slo] = aggregate.budget.slos;
    expect(slo).toMatchObject({ slo: "checkout availability", target: 99.9, window: "30d", incidents: 3 });
    // 2025-12-01 → 2026-11-27 is 361 days: 13 windows of 30 days.
    expect(slo!.windows).toHaveLength(13);
    expect(slo!.windows.at(-1)).toEqual({ start: "2026-10-28T00:00:00Z", end: "2026-11-27T00:00:00Z", incidents: 2, consumedPercent: 132.5 });
    expect(slo!.windows.at(-2)).toEqual({ start: "2026-09-28T00:00:00Z", end: "2026-10-28T00:00:00Z", incidents: 1, consumedPercent: 56.7 });
    expect(slo!.windows.slice(0, -2).every((w) => w.incidents === 0 && w.consumedPercent === 0)).toBe(true);
    // All three count at SEV2 (two declared, one evaluated): 86.2 + 46.3 + 56.7 = 189.2.
    expect(slo!.byLevel).toEqual([{ level: "SEV2", incidents: 3, consumedPercent: 189.2 }]);
  });

  it("counts how often the evaluated level differs from the declared one", () => {
    expect(aggregate.levels).toEqual({ total: 3, reevaluated: 2, differ: 1, changes: [{ declared: "SEV1", evaluated: "SEV2", count: 1 }] });
  });

  it("carries the figures in JSON, CSV and markdown", () => {
    const json = toReportJson(aggregate);
    expect(json.error_budget.slos[0]!.windows.at(-1)).toEqual({ start: "2026-10-28T00:00:00Z", end: "2026-11-27T00:00:00Z", incidents: 2, consumed_percent: 132.5 });
    expect(json.error_budget.definition).toMatch(/impact duration × share affected ÷ \(SLO window × \(1 − target\)\)/);
    expect(json.levels.differ).toBe(1);
    expect(json.postmortems.find((p) => p.number === 2)).toMatchObject({ evaluated_level: "SEV2", budget: [{ slo: "checkout availability", consumed_percent: 46.3 }] });
    const csv = renderCsv(aggregate).split("\n");
    expect(csv[0]!.endsWith(",evaluated_level,budget_consumed")).toBe(true);
    expect(csv.find((l) => l.startsWith("acme/payments,2,"))!.endsWith(",SEV2,checkout availability=46.3%")).toBe(true);
    const markdown = renderMarkdown(aggregate);
    expect(markdown).toContain("2 of 3 complete postmortems were re-evaluated with `/postmortem level`; 1 ended at a level other than the declared one.");
    expect(markdown).toContain("| SEV1 | SEV2 | 1 |");
    expect(markdown).toContain("| checkout availability | 99.9% | 30d | 2026-10-28 | 2 | 132.5% |");
    expect(markdown).toContain("| checkout availability | 99.9% | 30d | 2026-09-28 | 1 | 56.7% |");
    expect(markdown).toContain("| checkout availability | SEV2 | 3 | 189.2% |");
  });
});
