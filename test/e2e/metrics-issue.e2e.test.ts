import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  localIssueNumbers,
  METRICS_ISSUE_TITLE,
  metricsReportCommand,
  reconcileMetricsIssue,
  RowCache,
  type MetricsIssueDeps,
} from "../../src/features/metrics-issue.js";
import type { Octokit } from "../../src/github/octokit.js";
import { METRICS_MARKER } from "../../src/postmortem/report-render.js";
import { mermaidBlocks, validateXyChart } from "../helpers/mermaid.js";
import { placement, repairedBody } from "../helpers/postmortems.js";
import { INSTALLATION, NOW, startReportOrg, type ReportOrg } from "./report-fixture.js";

/**
 * The "Postmortem metrics" issue reconciler against the stand-in: one issue
 * per metrics repository, found by its marker among the bot's issues, written
 * only when its text changes. In the fixture the org's `.github` config sets
 * `metrics.repo: acme/sre`, so platform (no config of its own) reports to
 * acme/sre, while payments and mobile (their own configs) report to themselves.
 */
let org: ReportOrg;
let octokit: Octokit;
let deps: MetricsIssueDeps;
let rows: RowCache;
const target = { installationId: INSTALLATION, owner: "acme", repo: "platform" };
const PERIOD_START = Date.parse("2025-12-01T00:00:00Z");

beforeAll(async () => {
  org = await startReportOrg({ count: 150, seed: 11 });
  octokit = new ProbotOctokit({ auth: { token: org.token }, baseUrl: `${org.standin.url}/api/v3`, throttle: { enabled: false } }) as Octokit;
  rows = new RowCache();
  deps = { botLogin: async () => org.standin.botLogin, now: () => NOW, numbers: localIssueNumbers(), rows };
  // A person's issue that copies the marker is not the app's and is never adopted or edited.
  org.clock.now = NOW.getTime();
  await org.standin.openIssue({ owner: "acme", repo: "sre", title: METRICS_ISSUE_TITLE, body: `${METRICS_MARKER}\nfake`, user: "mallory" });
}, 120_000);

afterAll(async () => {
  await org?.standin.close();
});

describe("the metrics issue", () => {
  let issueNumber = 0;

  it("is created once in the metrics repository, from the postmortems of the repositories that report there", async () => {
    const mark = org.standin.mark();
    const result = await reconcileMetricsIssue(octokit, deps, target);
    expect(result.outcome).toBe("created");
    if (result.outcome === "skipped") return;
    expect(result.metricsRepo).toBe("acme/sre");
    expect(result.repos).toEqual(["acme/.github", "acme/platform", "acme/sre"]);
    issueNumber = result.issueNumber;
    expect(issueNumber).toBe(2); // #1 is mallory's
    const issue = org.standin.issue("acme", "sre", issueNumber)!;
    expect(issue.title).toBe("Postmortem metrics");
    expect(issue.user.login).toBe("postmortem-bot[bot]");
    expect(issue.body!.startsWith(`${METRICS_MARKER}\n## Postmortem metrics\n`)).toBe(true);
    expect(issue.body).toContain("**Repositories:** `acme/platform`.");
    const inPeriod = org.generated.filter((p) => p.repo === "acme/platform" && placement(p) >= PERIOD_START);
    expect(issue.body).toContain(`**Postmortems:** ${inPeriod.length} (${inPeriod.filter((p) => !p.defect).length} complete,`);
    for (const chart of mermaidBlocks(issue.body!)) expect(validateXyChart(chart)).toEqual([]);
    expect(org.standin.issue("acme", "sre", 1)!.body).toBe(`${METRICS_MARKER}\nfake`);

    const calls = org.standin.apiCallsSince(mark);
    // The metrics repository's config (absent, then the org's), 1 repository list, then GraphQL: the other configs in
    // one request, the issues of the 3 repositories reporting to acme/sre (.github, platform, sre) in one, the forms
    // in one; 1 search among the bot's issues, 1 create.
    expect(org.standin.describeCalls(calls)).toEqual([
      "GET /repos/{owner}/{repo}/contents/{path} 404",
      "GET /repos/{owner}/{repo}/contents/{path} 200",
      "GET /installation/repositories 200",
      ...Array<string>(3).fill("POST /graphql 200"),
      "GET /repos/{owner}/{repo}/issues 200",
      "POST /repos/{owner}/{repo}/issues 201",
    ]);
    expect(org.standin.describeCalls(calls.filter((c) => c.write))).toEqual(["POST /repos/{owner}/{repo}/issues 201"]);
    expect(calls.find((c) => c.path.startsWith("/repos/acme/sre/issues?") && c.path.includes("creator="))!.path).toContain("creator=postmortem-bot%5Bbot%5D");
  });

  it("costs zero writes when nothing changed, and re-checks no postmortem", async () => {
    const mark = org.standin.mark();
    const hits = rows.hits;
    const result = await reconcileMetricsIssue(octokit, deps, target);
    expect(result).toMatchObject({ outcome: "unchanged", issueNumber });
    const calls = org.standin.apiCallsSince(mark);
    expect(calls.filter((c) => c.write)).toEqual([]);
    // The remembered number: one GET of the issue instead of a search.
    expect(org.standin.describeCalls(calls.filter((c) => c.route === "GET /repos/{owner}/{repo}/issues/{issue_number}"))).toEqual(["GET /repos/{owner}/{repo}/issues/{issue_number} 200"]);
    expect(calls).toHaveLength(7);
    expect(rows.hits - hits).toBe(50);
  });

  it("is updated with one write when a postmortem changes", async () => {
    const broken = org.generated.find((p) => p.repo === "acme/platform" && p.defect !== null && placement(p) >= PERIOD_START)!;
    const before = org.standin.issue("acme", "sre", issueNumber)!.body!;
    await org.standin.editIssue("acme", "platform", broken.number, { body: repairedBody(broken) }, "alice");
    const mark = org.standin.mark();
    const result = await reconcileMetricsIssue(octokit, deps, target);
    expect(result.outcome).toBe("updated");
    expect(org.standin.describeCalls(org.standin.apiCallsSince(mark).filter((c) => c.write))).toEqual(["PATCH /repos/{owner}/{repo}/issues/{issue_number} 200"]);
    const after = org.standin.issue("acme", "sre", issueNumber)!.body!;
    expect(after).not.toBe(before);
    expect(before).toContain(`[acme/platform#${broken.number}]`);
    expect(after).not.toContain(`[acme/platform#${broken.number}]`);
  });

  it("is found again by its marker among the bot's issues when its number is forgotten", async () => {
    const fresh = { ...deps, numbers: localIssueNumbers() };
    const mark = org.standin.mark();
    const result = await reconcileMetricsIssue(octokit, fresh, target);
    expect(result).toMatchObject({ outcome: "unchanged", issueNumber });
    expect(org.standin.apiCallsSince(mark).filter((c) => c.write)).toEqual([]);
    expect(org.standin.issues("acme", "sre").filter((i) => i.user.login === "postmortem-bot[bot]")).toHaveLength(1);
  });

  it("a repository without metrics.repo keeps its own metrics issue, with only its postmortems", async () => {
    const result = await reconcileMetricsIssue(octokit, deps, { installationId: INSTALLATION, owner: "acme", repo: "payments" });
    expect(result).toMatchObject({ outcome: "created", metricsRepo: "acme/payments", repos: ["acme/payments"] });
    if (result.outcome === "skipped") return;
    const body = org.standin.issue("acme", "payments", result.issueNumber)!.body!;
    expect(body).toContain("**Repositories:** `acme/payments`.");
    expect(body).toContain("time to recover = recovered − detected (metrics.ttr_from: detected)");
  });

  it("`/postmortem report` updates it now and replies where it is", async () => {
    const command = metricsReportCommand(deps);
    expect(command.name).toBe("report");
    const result = await command.run({ octokit, installationId: INSTALLATION, owner: "acme", repo: "platform", issueNumber: 1, sender: "alice", args: [] });
    expect(result).toEqual({ ok: true, reply: expect.stringMatching(new RegExp(`^The metrics issue acme/sre#${issueNumber} is up to date: \\d+ postmortem\\(s\\) in the period\\.$`)) });
  });

  it("is skipped with a reason, not a crash, when metrics.repo cannot be written or is in another account", async () => {
    org.standin.setFile("acme", "mobile", ".github/postmortem.yml", "label: incident-review\nmetrics:\n  repo: acme/nowhere\n");
    const mark = org.standin.mark();
    const missing = await reconcileMetricsIssue(octokit, deps, { installationId: INSTALLATION, owner: "acme", repo: "mobile" });
    expect(missing).toEqual({ outcome: "skipped", reason: expect.stringContaining("cannot open or edit issues in acme/nowhere (GitHub answered 404)") });
    expect(org.standin.apiCallsSince(mark).filter((c) => c.write)).toEqual([]);
    org.standin.setFile("acme", "mobile", ".github/postmortem.yml", "label: incident-review\nmetrics:\n  repo: globex/incidents\n");
    const outside = await reconcileMetricsIssue(octokit, deps, { installationId: INSTALLATION, owner: "acme", repo: "mobile" });
    expect(outside).toEqual({ outcome: "skipped", reason: expect.stringContaining("metrics.repo globex/incidents is outside the acme account") });
  });
});
