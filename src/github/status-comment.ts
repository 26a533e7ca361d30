import { isStatusComment } from "../postmortem/status.js";
import type { Coordinator } from "../runtime/coordination.js";
import { SharedCache } from "../runtime/shared-cache.js";
import type { Octokit } from "./octokit.js";

export type IssueRef = {
  owner: string;
  repo: string;
  issue_number: number;
};

export interface StatusComment {
  id: number;
  body: string;
}

export function issueKey(installationId: number, issue: IssueRef): string {
  return `${installationId}:${issue.owner.toLowerCase()}/${issue.repo.toLowerCase()}#${issue.issue_number}`;
}

/**
 * The app's one status comment per postmortem: found by its marker among the
 * comments the app's bot wrote, then remembered, so a check whose text did
 * not change costs no read. The memory is shared by all replicas (Redis when
 * there are several) and used inside the issue's lock, so it always matches
 * the last write by any replica. Only found or written comments are
 * remembered, never their absence.
 */
export class StatusComments {
  readonly #known: SharedCache<StatusComment>;

  constructor(
    private readonly botLogin: () => Promise<string>,
    coordinator: Coordinator,
  ) {
    this.#known = new SharedCache(coordinator, "status", 6 * 60 * 60 * 1000);
  }

  async find(octokit: Octokit, key: string, issue: IssueRef): Promise<StatusComment | null> {
    const known = await this.#known.get(key);
    if (known) return known;
    const login = await this.botLogin();
    const found: StatusComment[] = [];
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { ...issue, per_page: 100 })) {
      for (const comment of page.data) {
        if (comment.user?.login === login && isStatusComment(comment.body)) found.push({ id: comment.id, body: comment.body ?? "" });
      }
      if (found.length > 0) break;
    }
    const [first, ...extras] = found;
    // A duplicate can only come from an older bug or a lost race; keep the oldest.
    for (const extra of extras) await octokit.rest.issues.deleteComment({ owner: issue.owner, repo: issue.repo, comment_id: extra.id });
    if (first) await this.#known.set(key, first);
    return first ?? null;
  }

  /** Creates or updates the comment; writes nothing when the text is already there. Returns the comment as it now is. */
  async write(octokit: Octokit, key: string, issue: IssueRef, existing: StatusComment | null, body: string): Promise<{ comment: StatusComment; wrote: boolean }> {
    if (existing && existing.body === body) return { comment: existing, wrote: false };
    let comment: StatusComment;
    if (existing) {
      await octokit.rest.issues.updateComment({ owner: issue.owner, repo: issue.repo, comment_id: existing.id, body });
      comment = { id: existing.id, body };
    } else {
      const { data } = await octokit.rest.issues.createComment({ ...issue, body });
      comment = { id: data.id, body };
    }
    await this.#known.set(key, comment);
    return { comment, wrote: true };
  }

  /** Someone else edited or deleted a comment on this issue: read it afresh next time. */
  forget(key: string): Promise<void> {
    return this.#known.delete(key);
  }
}
