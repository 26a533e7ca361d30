import type { Config } from "../config/schema.js";
import { defaultConfig } from "../config/schema.js";
import type { RepoFileCache } from "../github/files.js";
import { applyLabels, type LabelMaker, type LabelSpec } from "../github/labels.js";
import { statusOf, type Octokit } from "../github/octokit.js";
import { issueKey, type IssueRef, type StatusComments } from "../github/status-comment.js";
import { readState, renderStatusComment, type CheckOutcome, type PostmortemState } from "../postmortem/status.js";
import { validatePostmortem } from "../postmortem/validate.js";
import type { Setup } from "../config/setup.js";

export interface CheckDeps {
  files: RepoFileCache;
  comments: StatusComments;
  labels: LabelMaker;
  now: () => Date;
}

export interface PostmortemTarget {
  installationId: number;
  owner: string;
  repo: string;
  issueNumber: number;
}

export type CheckResult =
  | { outcome: "skipped"; reason: string }
  | { outcome: "ready" | "incomplete" | "error"; commentWritten: boolean; labelsChanged: boolean };

export function managedLabels(config: Config): { incomplete: LabelSpec; ready: LabelSpec } {
  return {
    incomplete: { name: config.labels.incomplete, color: "d93f0b", description: "Postmortem has problems to fix; see the status comment" },
    ready: { name: config.labels.ready, color: "0e8a16", description: "Postmortem is complete and ready for review" },
  };
}

/**
 * The check as a reconciler: read the issue, config and form as they are now,
 * compute the status comment and labels they call for, and write only the
 * difference. Redelivered or reordered events therefore change nothing.
 */
export async function reconcileCheck(octokit: Octokit, deps: CheckDeps, target: PostmortemTarget): Promise<CheckResult> {
  const issueRef: IssueRef = { owner: target.owner, repo: target.repo, issue_number: target.issueNumber };
  let issue;
  try {
    issue = (await octokit.rest.issues.get(issueRef)).data;
  } catch (error) {
    // Deleted or transferred since the event was sent.
    if (statusOf(error) === 404 || statusOf(error) === 410) return { outcome: "skipped", reason: "issue is gone" };
    throw error;
  }
  if (issue.pull_request) return { outcome: "skipped", reason: "pull request" };

  const setup = await deps.files.setup(octokit, target.installationId, { owner: target.owner, repo: target.repo });
  const config = setup.ok ? setup.setup.config : (setup.config ?? defaultConfig);
  const labels = issue.labels.map((label) => (typeof label === "string" ? label : (label.name ?? "")));
  if (!labels.some((name) => name.toLowerCase() === config.label.toLowerCase())) {
    return { outcome: "skipped", reason: "not labelled as a postmortem" };
  }

  const outcome: CheckOutcome = setup.ok
    ? check(issue.body ?? "", setup.setup, deps.now())
    : { status: "error", fileProblems: setup.problems };

  const key = issueKey(target.installationId, issueRef);
  const existing = await deps.comments.find(octokit, key, issueRef);
  const state: PostmortemState = { ...readState(existing?.body), v: 1, status: outcome.status };
  const commentWritten = await deps.comments.write(octokit, key, issueRef, existing, renderStatusComment(outcome, state));

  let labelsChanged = false;
  if (outcome.status !== "error") {
    const managed = managedLabels(config);
    const [want, drop] = outcome.status === "ready" ? [managed.ready, managed.incomplete] : [managed.incomplete, managed.ready];
    const has = (name: string) => labels.some((l) => l.toLowerCase() === name.toLowerCase());
    if (!has(want.name) || has(drop.name)) {
      // Both managed labels at once, so the later swap needs no second look-up.
      if (!has(want.name)) await deps.labels.ensure(octokit, target.installationId, target.owner, target.repo, [managed.incomplete, managed.ready]);
      labelsChanged = await applyLabels(octokit, issueRef, labels, [want.name], [drop.name]);
    }
  }
  return { outcome: outcome.status, commentWritten, labelsChanged };
}

function check(body: string, setup: Setup, now: Date): CheckOutcome {
  const validation = validatePostmortem({ body, form: setup.form, config: setup.config, now });
  return {
    status: validation.valid ? "ready" : "incomplete",
    problems: validation.problems,
    metrics: validation.metrics,
    zone: setup.config.timezone,
  };
}
