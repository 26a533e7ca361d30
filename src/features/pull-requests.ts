import type { Octokit } from "../github/octokit.js";
import { PULL_REQUEST_MARKER, relatedPostmortems, renderPullRequestComment } from "../postmortem/pull-requests.js";
import type { Runtime } from "../runtime/runtime.js";

export interface PullRequestTarget {
  installationId: number;
  owner: string;
  repo: string;
  number: number;
}

export type PullRequestOutcome = "off" | "created" | "updated" | "deleted" | "unchanged" | "none";

/**
 * One comment on a pull request that touches code named by postmortems: read the changed files
 * (paginated, capped by `pull_requests.max_files`), match them against the installation's
 * postmortems (the similarity index: an "affected components/paths" field, or paths its action
 * items link to), and create, update or delete the app's one comment (found by its marker) to
 * match. The only write is that comment on the base repository, also for pull requests from forks:
 * nothing is ever written to a head repository.
 */
export async function reconcilePullRequest(octokit: Octokit, runtime: Pick<Runtime, "files" | "similar" | "botLogin">, target: PullRequestTarget): Promise<PullRequestOutcome> {
  const home = { owner: target.owner, repo: target.repo };
  const setup = await runtime.files.setup(octokit, target.installationId, home);
  const config = setup.ok ? setup.setup.config : setup.config;
  if (!config?.pull_requests.enabled || !runtime.similar) return "off";
  const files: string[] = [];
  const max = config.pull_requests.max_files;
  await octokit.paginate(octokit.rest.pulls.listFiles, { ...home, pull_number: target.number, per_page: 100 }, (response, done) => {
    for (const file of response.data) {
      files.push(file.filename);
      if (file.previous_filename) files.push(file.previous_filename);
    }
    if (files.length >= max) done();
    return [];
  });
  const { docs, visibility } = await runtime.similar.docs(octokit, target.installationId, target.owner, target.repo);
  const body = renderPullRequestComment(relatedPostmortems(files.slice(0, max), docs, { repo: `${target.owner}/${target.repo}`, visibility }), config.language);

  const login = await runtime.botLogin();
  const ref = { ...home, issue_number: target.number };
  let existing: { id: number; body: string } | null = null;
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { ...ref, per_page: 100 })) {
    const mine = page.data.find((c) => c.user?.login === login && c.body?.startsWith(PULL_REQUEST_MARKER));
    if (mine) {
      existing = { id: mine.id, body: mine.body ?? "" };
      break;
    }
  }
  if (body === null) {
    if (!existing) return "none";
    await octokit.rest.issues.deleteComment({ ...home, comment_id: existing.id });
    return "deleted";
  }
  if (existing?.body === body) return "unchanged";
  if (existing) {
    await octokit.rest.issues.updateComment({ ...home, comment_id: existing.id, body });
    return "updated";
  }
  await octokit.rest.issues.createComment({ ...ref, body });
  return "created";
}
