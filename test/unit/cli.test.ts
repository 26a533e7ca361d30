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
