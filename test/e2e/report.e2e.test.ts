import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/io.js";
import { report, REPORT_USAGE } from "../../src/cli/report.js";
import { fetchPostmortems } from "../../src/github/postmortem-source.js";
import type { ReportJson } from "../../src/postmortem/report-render.js";
import { mermaidBlocks, validateXyChart } from "../helpers/mermaid.js";
import { expectedStats, placement, utcMonth, type ExpectedStats, type GeneratedPostmortem } from "../helpers/postmortems.js";
import { generateTestAppKey } from "./harness.js";
import { INSTALLATION, NOW, seedIssues, startReportOrg, TTR_FROM, type ReportOrg } from "./report-fixture.js";
import { startStandin, type CallRecord } from "./standin/server.js";

/**
 * `postmortem-bot report`, in process, against the GitHub stand-in holding an
 * org of 300 generated postmortems in three repositories (every 7th one
 * incomplete). Figures are compared with an independent computation from the
 * generator's known timestamps; API calls are counted by the stand-in.
 */
let org: ReportOrg;
let env: Record<string, string>;

beforeAll(async () => {
  org = await startReportOrg({ count: 300, seed: 7 });
  env = { GITHUB_TOKEN: org.token, GITHUB_API_URL: `${org.standin.url}/api/v3` };
}, 120_000);

afterAll(async () => {
  await org?.standin.close();
});

async function run(argv: string[], environment: Record<string, string | undefined> = env) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await report(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, environment);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const PERIOD_START = Date.parse("2025-12-01T00:00:00Z");
const PREVIOUS_START = PERIOD_START - (NOW.getTime() - PERIOD_START);

function expected(from: (p: GeneratedPostmortem) => boolean = () => true) {
  const pms = org.generated.filter(from);
  const inPeriod = pms.filter((p) => placement(p) >= PERIOD_START && placement(p) <= NOW.getTime());
  const complete = inPeriod.filter((p) => p.defect === null);
  const previous = pms.filter((p) => p.defect === null && placement(p) >= PREVIOUS_START && placement(p) < PERIOD_START);
  const stats = (xs: GeneratedPostmortem[]) => expectedStats(xs, (repo) => TTR_FROM[repo]!);
  return { inPeriod, complete, previous, stats };
}

function json(stat: ExpectedStats) {
  return { count: stat.count, ttd_seconds: stat.ttd, ttr_seconds: stat.ttr, ttm_seconds: stat.ttm };
}

describe("postmortem-bot report --org", () => {
  it("reports the org's figures, equal to an independent computation, in exactly 4 API calls", async () => {
    const mark = org.standin.mark();
    const r = await run(["--org", "acme", "--format", "json", "--now", NOW.toISOString()]);
    expect(r.err).not.toMatch(/failed/);
    expect(r.code).toBe(0);
    const calls = org.standin.apiCallsSince(mark);
    // 1 repository list, then GraphQL: every config (3 repositories have one; platform and sre fall back to the org's
    // .github file) in one request, the first (and only) page of issues of all 5 repositories in one, each with its
    // own label (mobile's is incident-review; the figures below would differ otherwise), and the forms in one.
    expect(org.standin.describeCalls(calls)).toEqual(["GET /installation/repositories 200", "POST /graphql 200", "POST /graphql 200", "POST /graphql 200"]);
    expect(calls.every((c) => c.installationId === INSTALLATION && c.auth === "installation" && !c.write)).toBe(true);
    expect(calls.slice(1).map((c) => c.graphql)).toEqual(Array(3).fill({ operation: "query", fields: ["repository"] }));

    const report = JSON.parse(r.out) as ReportJson;
    const { inPeriod, complete, previous, stats } = expected();
    expect(report.period).toEqual({ start: "2025-12-01T00:00:00Z", end: "2026-11-27T00:00:00Z" });
    expect(report.totals).toEqual({
      postmortems: inPeriod.length,
      complete: complete.length,
      incomplete: inPeriod.length - complete.length,
      open: inPeriod.filter((p) => p.state === "open").length,
      closed: inPeriod.filter((p) => p.state === "closed").length,
    });
    expect(report.overall).toEqual(json(stats(complete)));
    for (const group of report.by_severity) {
      expect(group).toEqual({ severity: group.severity, ...json(stats(complete.filter((p) => p.severity === group.severity))) });
    }
    expect(report.by_severity.map((g) => g.severity)).toEqual(["SEV1", "SEV2", "SEV3", "SEV4"]);
    expect(report.by_month.map((g) => g.month)).toHaveLength(12);
    for (const group of report.by_month) {
      expect(group).toEqual({ month: group.month, ...json(stats(complete.filter((p) => utcMonth(p.startedMs) === group.month))) });
    }
    expect(report.trend.previous).toEqual(json(stats(previous)));
    const now = stats(complete);
    const before = stats(previous);
    expect(report.trend.count).toMatchObject({ current: now.count, previous: before.count, delta: now.count - before.count });
    expect(report.trend.ttr_median_seconds).toMatchObject({ current: now.ttr.median, previous: before.ttr.median, delta: now.ttr.median! - before.ttr.median! });
    expect(report.incomplete.map((e) => `${e.repo}#${e.number} ${e.problems.join(",")}`)).toEqual(
      inPeriod
        .filter((p) => p.defect !== null)
        .sort((a, b) => a.repo.localeCompare(b.repo) || a.number - b.number)
        .map((p) => `${p.repo}#${p.number} ${p.expectedProblems.join(",")}`),
    );
    expect(report.ttr_definitions_disagree).toBe(true);
    expect(report.definitions.ttr).toEqual([
      { ttr_from: "started", definition: "time to recover = recovered − impact started", repos: ["acme/mobile", "acme/platform"] },
      { ttr_from: "detected", definition: "time to recover = recovered − detected (metrics.ttr_from: detected)", repos: ["acme/payments"] },
    ]);
    // Only postmortems: not the other issues, nor the mobile issue with the default label, nor another account's.
    expect(report.postmortems).toHaveLength(inPeriod.length);
    expect(report.postmortems.every((p) => p.repo.startsWith("acme/") && p.title.startsWith("[Postmortem] SEV"))).toBe(true);
    // Repositories with postmortems (.github and sre were read and have none).
    expect(report.repos.map((x) => x.repo)).toEqual(["acme/mobile", "acme/payments", "acme/platform"]);
    expect(r.err).toContain("report: 5 repositories to read");
    expect(r.err).toContain("acme/payments: 100 postmortem(s)");
  });

  it("lists the org's repositories with GET /orgs/{org}/repos for a user token, at the same cost", async () => {
    const octokit = new ProbotOctokit({ auth: { token: org.token }, baseUrl: env.GITHUB_API_URL, throttle: { enabled: false } });
    const mark = org.standin.mark();
    const fetched = await fetchPostmortems(octokit, { target: { kind: "org", org: "acme" }, tokenKind: "user" });
    const calls = org.standin.apiCallsSince(mark);
    expect(org.standin.describeCalls(calls)).toEqual(["GET /orgs/{org}/repos 200", "POST /graphql 200", "POST /graphql 200", "POST /graphql 200"]);
    expect(fetched.postmortems).toHaveLength(300);
    expect([...fetched.setups.keys()].sort()).toEqual(["acme/mobile", "acme/payments", "acme/platform"]);
  });
});

describe("postmortem-bot report --repo", () => {
  it("CSV for one repository: one row per postmortem of the period, in 3 API calls", async () => {
    const mark = org.standin.mark();
    const r = await run(["--repo", "acme/payments", "--format", "csv", "--now", NOW.toISOString()]);
    expect(r.code).toBe(0);
    // Its config and the org's (one request), one page of issues, its form and the org's (absent; one request).
    expect(org.standin.describeCalls(org.standin.apiCallsSince(mark))).toEqual(["POST /graphql 200", "POST /graphql 200", "POST /graphql 200"]);
    const lines = r.out.split("\n");
    expect(lines[0]).toBe("repo,number,title,url,severity,started_at,detected_at,mitigated_at,recovered_at,ttd_seconds,ttr_seconds,ttm_seconds,complete,problems,ttr_from,evaluated_level,budget_consumed");
    const { inPeriod } = expected((p) => p.repo === "acme/payments");
    expect(lines).toHaveLength(1 + inPeriod.length);
    const g = inPeriod.find((p) => p.defect === null)!;
    const row = lines.find((l) => l.startsWith(`acme/payments,${g.number},`))!.split(",");
    expect(row[9]).toBe(String((g.detectedMs - g.startedMs) / 1000));
    expect(row[10]).toBe(String((g.recoveredMs - g.detectedMs) / 1000)); // ttr_from: detected
    expect(row[12]).toBe("true");
    expect(row[14]).toBe("detected");
  });

  it("markdown by default, with valid charts, and --since", async () => {
    const r = await run(["--repo", "acme/platform", "--since", "2026-06-01", "--now", NOW.toISOString()]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("## Postmortem metrics");
    expect(r.out).toContain("**Period:** 2026-06-01 → 2026-11-27 (UTC)");
    const charts = mermaidBlocks(r.out);
    expect(charts).toHaveLength(3);
    for (const chart of charts) expect(validateXyChart(chart)).toEqual([]);
    const since = Date.parse("2026-06-01T00:00:00Z");
    const complete = org.generated.filter((p) => p.repo === "acme/platform" && p.defect === null && p.startedMs >= since);
    expect(r.out).toContain(`(${complete.length} complete,`);
    expect(r.out).not.toContain("[!WARNING]"); // one repository, one definition
  });

  it("reads GITHUB_TOKEN and GITHUB_API_URL from the environment", async () => {
    const saved = { token: process.env.GITHUB_TOKEN, url: process.env.GITHUB_API_URL };
    process.env.GITHUB_TOKEN = env.GITHUB_TOKEN;
    process.env.GITHUB_API_URL = env.GITHUB_API_URL;
    try {
      const out: string[] = [];
      const code = await report(["--repo", "acme/mobile", "--format", "json", "--now", NOW.toISOString()], { out: (t) => out.push(t), err: () => {} });
      expect(code).toBe(0);
      const { inPeriod } = expected((p) => p.repo === "acme/mobile");
      expect((JSON.parse(out.join("")) as ReportJson).postmortems).toHaveLength(inPeriod.length);
    } finally {
      for (const [k, v] of [["GITHUB_TOKEN", saved.token], ["GITHUB_API_URL", saved.url]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe("postmortem-bot report: bad arguments and auth failures", () => {
  it("exits 2 when GitHub rejects the token (401)", async () => {
    const r = await run(["--org", "acme"], { ...env, GITHUB_TOKEN: "ghs_not-a-real-token" });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/GitHub rejected GITHUB_TOKEN \(401 Bad credentials\)/);
    expect(r.out).toBe("");
  });

  it("exits 2 when GitHub refuses access (403) or the repository is not there (404)", async () => {
    org.standin.injectFault({ route: "GET /installation/repositories", times: 1, status: 403, body: { message: "Resource not accessible by integration" } });
    const forbidden = await run(["--org", "acme"]);
    expect(forbidden.code).toBe(2);
    expect(forbidden.err).toContain("GitHub refused access to the acme account (403 Resource not accessible by integration)");
    const missing = await run(["--repo", "acme/nope"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("acme/nope was not found");
    // Another account's repository is invisible to this installation's token.
    const other = await run(["--repo", "globex/incidents"]);
    expect(other.code).toBe(2);
  });

  it("throws a UsageError (exit 2 through the CLI) on bad arguments or no token", async () => {
    await expect(run([])).rejects.toThrow(UsageError);
    await expect(run(["--repo", "acme/x", "--org", "acme"])).rejects.toThrow("give exactly one of --repo and --org");
    await expect(run(["--repo", "acme"])).rejects.toThrow("is not owner/name");
    await expect(run(["--org", "acme", "--format", "xml"])).rejects.toThrow("--format must be markdown, json or csv");
    await expect(run(["--org", "acme", "--since", "2026-02-30"])).rejects.toThrow("is not a date as YYYY-MM-DD");
    await expect(run(["--org", "acme", "--since", "2027-01-01", "--now", NOW.toISOString()])).rejects.toThrow("is in the future");
    await expect(run(["--org", "acme"], { GITHUB_API_URL: env.GITHUB_API_URL })).rejects.toThrow("GITHUB_TOKEN is not set");
    await expect(run(["--org", "acme"], { ...env, GITHUB_API_URL: "ftp://x" })).rejects.toThrow("is not an http(s) URL");
    expect(REPORT_USAGE).toMatch(/^usage: postmortem-bot report \(--repo <owner\/name> \| --org <owner>\)/);
  });
});

describe("API calls for 10,000 postmortems (DESIGN.md: a report over 10,000 postmortems takes <= 110 calls)", () => {
  it("one repository: 102 calls; an org of three repositories and its .github: 37", async () => {
    const standin = await startStandin({ appId: 4243, publicKey: generateTestAppKey().publicKey, webhooksEnabled: false });
    try {
      standin.addInstallation({ id: 1, account: "big" });
      standin.addRepo({ owner: "big", name: ".github", installationId: 1 });
      for (const name of ["incidents", "a", "b", "c"]) standin.addRepo({ owner: "big", name, installationId: 1, labels: ["postmortem"] });
      seedIssues(standin, "big", "incidents", 10_000);
      seedIssues(standin, "big", "a", 3_334);
      seedIssues(standin, "big", "b", 3_333);
      seedIssues(standin, "big", "c", 3_333);
      const octokit = new ProbotOctokit({ auth: { token: standin.createInstallationToken(1) }, baseUrl: standin.apiBase, throttle: { enabled: false } });
      const graphqlCalls = (calls: CallRecord[]) => calls.filter((c) => c.route === "POST /graphql");

      // One repository without files of its own: its config and the org's in one request, 100 pages of 100, its form
      // and the org's in one request.
      let mark = standin.mark();
      const one = await fetchPostmortems(octokit, { target: { kind: "repo", owner: "big", repo: "incidents" } });
      expect(one.postmortems).toHaveLength(10_000);
      expect(new Set(one.postmortems.map((p) => p.number)).size).toBe(10_000);
      let calls = standin.apiCallsSince(mark);
      expect(calls).toHaveLength(102);
      expect(graphqlCalls(calls)).toHaveLength(102);

      // The org: a, b and c with 3,334 + 3,333 + 3,333 (34 pages each) and the org's .github (one empty page), read
      // side by side in one request per round of pages: 1 repository list + 1 (configs) + 34 + 1 (forms).
      standin.world.repos.delete("big/incidents");
      mark = standin.mark();
      const org = await fetchPostmortems(octokit, { target: { kind: "org", org: "big" }, tokenKind: "installation" });
      expect(org.postmortems).toHaveLength(10_000);
      expect(new Set(org.postmortems.map((p) => `${p.repo}#${p.number}`)).size).toBe(10_000);
      calls = standin.apiCallsSince(mark);
      expect(calls).toHaveLength(37);
      expect(standin.describeCalls(calls.filter((c) => c.route !== "POST /graphql"))).toEqual(["GET /installation/repositories 200"]);
    } finally {
      await standin.close();
    }
  }, 60_000);
});
