import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/index.js";

const path = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("postmortem-bot lint", () => {
  it("prints TTD/TTR/TTM for a complete postmortem on the shipped form and exits 0", async () => {
    const r = await run("lint", path("bodies/complete.md"), "--now", "2026-11-27T00:00:00Z", "--config", path("configs/teams.yml"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("TTD 12m");
    expect(r.out).toContain("TTR 1h 38m");
    expect(r.out).toContain("TTM 47m");
  });

  it("prints the documented JSON", async () => {
    const r = await run("lint", path("bodies/complete.md"), "--now", "2026-11-27T00:00:00Z", "--format", "json", "--config", path("configs/teams.yml"));
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ valid: true, problems: [], metrics: { ttd_seconds: 720, ttr_seconds: 5880, ttm_seconds: 2820 } });
    expect(json.answers.severity).toBe("SEV2");
    expect(json.answers.blameless).toEqual(["This postmortem is blameless: it describes systems and decisions, not people at fault."]);
  });

  it("shows the level's rules and the error budget", async () => {
    const args = ["lint", path("bodies/complete-slo.md"), "--now", "2026-11-27T00:00:00Z", "--config", path("configs/slos.yml")];
    const text = await run(...args);
    expect(text.code).toBe(0);
    // SEV2: review within 10 business days of Friday 2026-11-20 15:41 JST: Friday 2026-12-04.
    expect(text.out).toContain("  Level: SEV2\n  Major: a core feature is broken or badly degraded for many customers, with no workaround.");
    expect(text.out).toContain("  - Follow-ups without a `due:` date are due 30 business days after publishing\n  - [ ] Review (publish) by 2026-12-04: 10 business days after recovery");
    expect(text.out).toContain("  | checkout availability | 99.9% | 30d | 86.2% |\n  | api latency | 99.5% | 4w | 18.5% |");
    const json = JSON.parse((await run(...args, "--format", "json")).out);
    expect(json.level).toEqual({
      name: "SEV2",
      declared: "SEV2",
      definition: "Major: a core feature is broken or badly degraded for many customers, with no workaround.",
      required_fields: [{ field: "timeline", written: true }, { field: "root-causes", written: true }],
      follow_up_due_business_days: 30,
      review_deadline: { date: "2026-12-04", business_days: 10, because: "level" },
    });
    expect(json.budget).toMatchObject({ impact_seconds: 5880, share: 0.38, slos: [{ slo: "checkout availability", consumed_percent: 86.2 }, { slo: "api latency", consumed_percent: 18.5 }], disagreement: false });
  });

  it("exits 2 when a configured level requires a field the form lacks, naming file and line", async () => {
    const r = await run("lint", path("bodies/complete.md"), "--config", path("configs/bad-levels.yml"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad-levels\.yml:5: level 'SEV1' requires 'runbook', which is neither a field id, a role nor a label of the form/);
  });

  it("exits 1 with each problem listed", async () => {
    const r = await run("lint", path("bodies/incomplete.md"), "--now", "2026-11-27T00:00:00Z", "--format", "json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).problems).toHaveLength(8);
  });

  it("validates a third-party form through --template and --config", async () => {
    const args = ["--template", path("forms/acme-incident.yml"), "--config", path("forms/acme-incident.config.yml"), "--now", "2026-11-27T00:00:00Z"];
    const ok = await run("lint", path("bodies/acme-complete.md"), ...args);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("TTD 19m");
    const bad = await run("lint", path("bodies/acme-bad-option.md"), ...args, "--format", "json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).problems.map((p: { code: string }) => p.code)).toEqual(["invalid-option", "invalid-option", "checkbox-required"]);
  });

  it("exits 2 on a broken form with file, line and reason", async () => {
    const r = await run("lint", path("bodies/complete.md"), "--template", path("forms/broken-duplicate-id.yml"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken-duplicate-id\.yml:21: id 'detected' is used twice/);
  });

  it("exits 2 on a broken config with file and line", async () => {
    const r = await run("lint", path("bodies/complete.md"), "--config", path("configs/wrong-type.yml"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/wrong-type\.yml:3: 'severities' must be an array/);
  });

  it.each([
    [["lint"], /expected one body file/],
    [["lint", "a.md", "b.md"], /expected one body file/],
    [["lint", "x.md", "--format", "xml"], /--format must be text or json/],
    [["lint", "x.md", "--now", "soon"], /is not an ISO time/],
    [["lint", "x.md", "--bogus"], /Unknown option/],
    [["lint", "/does/not/exist.md"], /cannot read/],
    [["frobnicate"], /unknown command/],
  ])("exits 2 on %j", async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
