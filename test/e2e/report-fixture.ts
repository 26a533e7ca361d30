// The org the report and metrics-issue suites read: acme, with three
// repositories of postmortems written into the stand-in's state directly
// (webhooks off, so no app is needed), and a handler for GET /orgs/{org}/repos,
// which the stand-in does not implement itself.
import { generatePostmortems, type GeneratedPostmortem } from "../helpers/postmortems.js";
import { generateTestAppKey } from "./harness.js";
import type { IssueRec } from "./standin/model.js";
import { notFound, paginate, startStandin, type Handler, type Standin } from "./standin/server.js";

export const OWNER = "acme";
export const INSTALLATION = 7;
export const NOW = new Date("2026-11-27T00:00:00Z");
/** payments measures TTR from detection; the others from impact start (the org default). */
export const TTR_FROM: Record<string, "started" | "detected"> = {
  "acme/payments": "detected",
  "acme/platform": "started",
  "acme/mobile": "started",
};
export const POSTMORTEM_REPOS = ["acme/mobile", "acme/payments", "acme/platform"];

/** The org's `.github` config: every repository without its own file reports metrics to acme/sre. */
export const ORG_CONFIG = "metrics:\n  repo: acme/sre\n";
export const PAYMENTS_CONFIG = "metrics:\n  ttr_from: detected\n";
/** mobile marks postmortems with its own label. */
export const MOBILE_CONFIG = "label: incident-review\ntimezone: Asia/Tokyo\n";

/** `GET /orgs/{org}/repos` for the stand-in: the org's repositories the token's installation can see, 100 a page at most. */
export const listOrgRepos: Handler = (ctx) => {
  const org = (ctx.params.org ?? "").toLowerCase();
  const all = [...ctx.world.repos.values()].filter((r) => r.owner.login.toLowerCase() === org);
  if (all.length === 0) throw notFound();
  const visible = all.filter((r) => ctx.installationId === undefined || r.installationId === ctx.installationId).sort((a, b) => a.name.localeCompare(b.name));
  return paginate(ctx, visible.map((r) => ctx.world.repoJson(r)));
};

export interface ReportOrg {
  standin: Standin;
  clock: { now: number };
  generated: GeneratedPostmortem[];
  token: string;
}

/** Starts a stand-in holding the acme org with `count` generated postmortems across three repositories. */
export async function startReportOrg(options: { count: number; seed: number; spanDays?: number }): Promise<ReportOrg> {
  const clock = { now: Date.parse("2024-01-01T00:00:00Z") };
  const standin = await startStandin({ appId: 4242, publicKey: generateTestAppKey().publicKey, now: () => new Date(clock.now) });
  standin.webhooksEnabled = false;
  standin.implement("GET /orgs/{org}/repos", listOrgRepos);
  standin.addInstallation({ id: INSTALLATION, account: OWNER });
  standin.addRepo({ owner: OWNER, name: ".github", installationId: INSTALLATION, files: { ".github/postmortem.yml": ORG_CONFIG } });
  standin.addRepo({ owner: OWNER, name: "payments", private: true, installationId: INSTALLATION, labels: ["postmortem", "bug"], files: { ".github/postmortem.yml": PAYMENTS_CONFIG } });
  standin.addRepo({ owner: OWNER, name: "platform", installationId: INSTALLATION, labels: ["postmortem"] });
  standin.addRepo({ owner: OWNER, name: "mobile", installationId: INSTALLATION, labels: ["incident-review", "postmortem"], files: { ".github/postmortem.yml": MOBILE_CONFIG } });
  standin.addRepo({ owner: OWNER, name: "sre", installationId: INSTALLATION, labels: ["postmortem"] });
  // Another account the token must never read.
  standin.addInstallation({ id: 8, account: "globex" });
  standin.addRepo({ owner: "globex", name: "incidents", installationId: 8, labels: ["postmortem"] });

  const generated = generatePostmortems({ repos: POSTMORTEM_REPOS, count: options.count, now: NOW, seed: options.seed, spanDays: options.spanDays ?? 730 });
  for (const pm of generated) {
    const [owner, repo] = pm.repo.split("/") as [string, string];
    clock.now = Date.parse(pm.createdAt);
    const label = repo === "mobile" ? "incident-review" : "postmortem";
    await standin.openIssue({ owner, repo, title: pm.title, body: pm.body, labels: [label], user: "alice" });
    if (pm.state === "closed") {
      clock.now += 3 * 86_400_000;
      await standin.closeIssue(owner, repo, pm.number, {}, "alice");
    }
  }
  // Issues that are not postmortems: another label, no label, a postmortem-labelled issue in mobile (which uses its own label).
  clock.now = Date.parse("2026-06-01T00:00:00Z");
  await standin.openIssue({ owner: OWNER, repo: "payments", title: "Flaky test", body: "x", labels: ["bug"], user: "bob" });
  await standin.openIssue({ owner: OWNER, repo: "platform", title: "Question", body: "y", user: "bob" });
  await standin.openIssue({ owner: OWNER, repo: "mobile", title: "[Postmortem] wrong label", body: generated[0]!.body, labels: ["postmortem"], user: "bob" });
  await standin.openIssue({ owner: "globex", repo: "incidents", title: "[Postmortem] other org", body: generated[0]!.body, labels: ["postmortem"], user: "eve" });
  clock.now = NOW.getTime();
  return { standin, clock, generated, token: standin.createInstallationToken(INSTALLATION) };
}

/** Puts `count` small postmortem issues straight into a repository of the stand-in (no events, no per-issue serialization). */
export function seedIssues(standin: Standin, owner: string, name: string, count: number, label = "postmortem"): void {
  const repo = standin.world.requireRepo(owner, name);
  const user = standin.world.user("alice");
  const base = Date.parse("2026-01-01T00:00:00Z");
  for (let k = 0; k < count; k++) {
    const number = repo.nextNumber++;
    const at = new Date(base + k * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const issue: IssueRec = {
      id: 9_000_000 + repo.id * 100_000 + number,
      number,
      title: `[Postmortem] #${number}`,
      body: "### Summary\n\nx",
      user,
      labelKeys: [label],
      state: k % 2 === 0 ? "closed" : "open",
      stateReason: k % 2 === 0 ? "completed" : null,
      locked: false,
      assignees: [],
      createdAt: at,
      updatedAt: at,
      closedAt: k % 2 === 0 ? at : null,
      closedBy: null,
      viaApp: false,
    };
    repo.issues.set(number, issue);
  }
}
