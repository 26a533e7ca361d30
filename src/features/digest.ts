import type { RepoRef } from "../config/setup.js";
import type { Config } from "../config/schema.js";
import type { RepoFileCache } from "../github/files.js";
import type { Octokit } from "../github/octokit.js";
import { fetchPostmortems } from "../github/postmortem-source.js";
import { formatReference } from "../postmortem/action-items.js";
import { composeDigest, DIGEST_MARKER, meetingOf, readDigestState, type DigestPostmortem, type OverdueFollowUp } from "../postmortem/digest.js";
import { firstSentence, isRecommended } from "../postmortem/reading-list.js";
import { visibleFrom } from "../postmortem/similarity.js";
import { validatePostmortem } from "../postmortem/validate.js";

export interface DigestDeps {
  files: RepoFileCache;
  now: () => Date;
  botLogin: () => Promise<string>;
}

export type DigestOutcome = { repo: string; meeting: string; outcome: "created" | "updated" | "unchanged" } | { repo: string; outcome: "skipped"; reason: string };

const fullName = (ref: RepoRef) => `${ref.owner}/${ref.repo}`;
const same = (a: RepoRef, b: RepoRef) => fullName(a).toLowerCase() === fullName(b).toLowerCase();

function digestRepoOf(ref: RepoRef, config: Config): RepoRef | null {
  const meeting = config.sharing_meeting;
  if (!meeting) return null;
  if (!meeting.repo) return ref;
  const [owner = "", repo = ""] = meeting.repo.split("/");
  return { owner, repo };
}

/**
 * The sharing-meeting digests of one installation, from the sweep: for each repository that a
 * config names as `sharing_meeting.repo` (or that sets `sharing_meeting` for itself), the digest of
 * the latest meeting is created, or edited in place when it changed, or left alone (zero writes).
 * It is found again by its hidden marker among the issues the app opened in that repository.
 * Reads: the installation's postmortems (the report's batched reads), the repository's own issues.
 */
export async function reconcileDigests(octokit: Octokit, deps: DigestDeps, installationId: number, repositories: RepoRef[], overdue: OverdueFollowUp[]): Promise<DigestOutcome[]> {
  const targets = new Map<string, { ref: RepoRef; config: Config }>();
  for (const ref of repositories) {
    const setup = await deps.files.setup(octokit, installationId, ref);
    const config = setup.ok ? setup.setup.config : null;
    const target = config && digestRepoOf(ref, config);
    if (!target || target.owner.toLowerCase() !== ref.owner.toLowerCase()) continue;
    const key = fullName(target).toLowerCase();
    // The digest repository's own config wins (its meeting day and language), else the first that names it.
    if (!targets.has(key) || same(ref, target)) targets.set(key, { ref: target, config });
  }
  const outcomes: DigestOutcome[] = [];
  for (const { ref, config } of targets.values()) outcomes.push(await reconcileDigest(octokit, deps, ref, config, overdue));
  return outcomes;
}

async function reconcileDigest(octokit: Octokit, deps: DigestDeps, home: RepoRef, config: Config, overdue: OverdueFollowUp[]): Promise<DigestOutcome> {
  const meetingConfig = config.sharing_meeting!;
  const now = deps.now();
  const meeting = meetingOf(now, config.timezone, meetingConfig.cadence, meetingConfig.weekday);
  const fetched = await fetchPostmortems(octokit, {
    target: { kind: "org", org: home.owner },
    tokenKind: "installation",
    includeRepo: (ref, repoConfig) => repoConfig !== null && same(digestRepoOf(ref, repoConfig) ?? { owner: "", repo: "" }, home),
  });
  const visibilityOf = (repo: string) => [...fetched.visibility].find(([name]) => name.toLowerCase() === repo.toLowerCase())?.[1];
  const reader = { repo: fullName(home), visibility: visibilityOf(fullName(home)) };
  const postmortems: DigestPostmortem[] = [];
  for (const pm of fetched.postmortems) {
    const setup = fetched.setups.get(pm.repo);
    if (!setup?.ok || !visibleFrom(reader, { repo: pm.repo, visibility: visibilityOf(pm.repo) ?? "private" })) continue;
    const repoConfig = setup.setup.config;
    const [owner = "", repo = ""] = pm.repo.split("/");
    const validation = validatePostmortem({ body: pm.body, form: setup.setup.form, config: repoConfig, now, home: { owner, repo } });
    const has = (label: string) => pm.labels.some((l) => l.toLowerCase() === label.toLowerCase());
    const summaryField = validation.roles.byRole.summary.field;
    const summary = summaryField ? validation.parsed.answers.get(summaryField.id) : undefined;
    postmortems.push({
      ref: `${pm.repo}#${pm.number}`,
      title: pm.title,
      url: pm.url,
      createdAt: pm.createdAt,
      severity: validation.severity,
      ttdSeconds: validation.metrics.ttd.seconds,
      ttrSeconds: validation.metrics.ttr.seconds,
      startedAt: validation.timeline.startedAt ?? null,
      firstSentence: summary && !summary.empty ? firstSentence(summary.text) : "",
      openFollowUps: validation.actionItems.flatMap((item) => (item.ref && item.checked !== true ? [{ ref: formatReference(item.ref), text: item.text }] : [])),
      published: repoConfig.follow_ups.publish_on === "close" ? pm.state === "closed" : has(repoConfig.follow_ups.published_label),
      recommended: isRecommended(repoConfig, pm.labels),
    });
  }
  // Overdue follow-ups are shown only where their own repository's readers could see them.
  const visibleOverdue = overdue.filter((f) => {
    const repo = /\/([^/]+\/[^/]+)\/issues\/\d+$/.exec(f.url)?.[1];
    return repo !== undefined && visibleFrom(reader, { repo, visibility: visibilityOf(repo) ?? "private" });
  });

  const login = await deps.botLogin();
  const mine = await octokit.paginate(octokit.rest.issues.listForRepo, { ...home, creator: login, state: "all", per_page: 100 });
  const digests = mine.filter((issue) => !issue.pull_request && issue.body?.startsWith(DIGEST_MARKER)).map((issue) => ({ issue, state: readDigestState(issue.body) }));
  const earlier = digests.flatMap((d) => (d.state ? [d.state] : []));
  const { title, body } = composeDigest({ meeting, postmortems, overdue: visibleOverdue, earlier, config });
  const current = digests.find((d) => d.state?.date === meeting.date);
  if (!current) {
    await octokit.rest.issues.create({ ...home, title, body });
    return { repo: fullName(home), meeting: meeting.date, outcome: "created" };
  }
  if (current.issue.body === body && current.issue.title === title) return { repo: fullName(home), meeting: meeting.date, outcome: "unchanged" };
  await octokit.rest.issues.update({ ...home, issue_number: current.issue.number, title, body });
  return { repo: fullName(home), meeting: meeting.date, outcome: "updated" };
}
