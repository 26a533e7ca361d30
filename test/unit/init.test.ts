import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/index.js";
import { parseConfigFile, resolveConfig } from "../../src/config/load.js";
import { defaultConfig } from "../../src/config/schema.js";
import { resolveRoles } from "../../src/form/roles.js";
import { formFixture } from "../helpers/fixtures.js";

const path = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The starter config printed after its heading. */
const starterOf = (out: string) => out.slice(out.indexOf("# Starter config"));

describe("postmortem-bot init", () => {
  it("boilerplate-devops: exit 0, roles with reasons, Sev1–Sev3, and a starter that pins the same roles", async () => {
    const r = await run("init", path("forms/boilerplate-devops-postmortem.yml"));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/started_at +started-at \(Impact started \(UTC\)\) +its label says "impact started"/);
    expect(r.out).toMatch(/detected_at +— +not found/);
    expect(r.out).toContain("  Sev1, Sev2, Sev3");
    expect(r.out).toContain("TTD: as stated in Minutes from impact starting to the first signal");
    expect(r.out).toContain("The form asks: One line each — [class] owning team");
    const parsed = parseConfigFile(starterOf(r.out), "starter.yml");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const config = resolveConfig(parsed.raw);
    expect(config.fields).toEqual({ summary: "summary", severity: "severity", started_at: "started-at", recovered_at: "resolved-at", action_items: "action-items", time_to_detect: "time-to-detect", budget_spent: "budget-spent" });
    expect(config.template).toBe(".github/ISSUE_TEMPLATE/boilerplate-devops-postmortem.yml");
    // Pinned or inferred, the app reads the same fields.
    const form = formFixture("boilerplate-devops-postmortem");
    const ids = (c: typeof config) => Object.values(resolveRoles(form, c).byRole).map((choice) => choice.field?.id ?? null);
    expect(ids(config)).toEqual(ids(defaultConfig));
  });

  it("art-world-hub: the window entry stands for start and end", async () => {
    const r = await run("doctor", path("forms/art-world-hub-postmortem.yml"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("TTR = end − start of Incident Date and Duration");
    expect(starterOf(r.out)).toContain("  impact_window: incident-date\n");
    expect(starterOf(r.out)).not.toContain("started_at");
  });

  it("trimix (Japanese, --lang ja): exit 1 and says which fields to add or map", async () => {
    const r = await run("init", path("forms/trimix-incident-report.yml"), "--lang", "ja");
    expect(r.code).toBe(1);
    expect(r.out).toContain("detected_at       detected_at (「検知日時」)  ラベルに「検知日時」とあります");
    expect(r.err).toContain("TTR を算出できません。影響開始、復旧にあたる項目がありません");
    expect(r.err).toContain("`fields.started_at`");
    expect(r.err).toContain("`fields.recovered_at`");
  });

  it("teraflow: exit 1 in English by default", async () => {
    const r = await run("init", path("forms/teraflow-incident-report.yml"));
    expect(r.code).toBe(1);
    expect(r.err).toContain("TTR cannot be computed: no field gives impact started and recovered.");
  });

  it("--write writes the starter, and refuses to overwrite without --force", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pm-init-"));
    const target = join(dir, "postmortem.yml");
    const first = await run("init", path("forms/batbern-post-mortem.yml"), "--write", target);
    expect(first.code).toBe(0);
    expect(readFileSync(target, "utf8")).toBe(starterOf(first.out));
    writeFileSync(target, "label: mine\n");
    const again = await run("init", path("forms/batbern-post-mortem.yml"), "--write", target);
    expect(again.code).toBe(2);
    expect(again.err).toContain("already exists; add --force");
    expect(readFileSync(target, "utf8")).toBe("label: mine\n");
    expect((await run("init", path("forms/batbern-post-mortem.yml"), "--write", target, "--force")).code).toBe(0);
    expect(readFileSync(target, "utf8")).toBe(starterOf(first.out));
  });

  it.each([
    [["init"], /give one form file or --repo/],
    [["init", "a.yml", "--repo", "acme/x"], /give one form file or --repo/],
    [["init", "a.yml", "--lang", "fr"], /--lang must be en or ja/],
    [["init", "a.yml", "--force"], /--force only goes with --write/],
    [["init", "--repo", "not a repo"], /is not owner\/name/],
    [["init", "/does/not/exist.yml"], /cannot read/],
  ])("usage error %j exits 2", async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it("a broken form exits 2 naming the file and line", async () => {
    const r = await run("init", path("forms/broken-duplicate-id.yml"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken-duplicate-id\.yml:21: id 'detected' is used twice/);
  });
});
