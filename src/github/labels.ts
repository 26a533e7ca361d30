import { LRUCache } from "lru-cache";
import { graphqlErrorsOf, statusOf, type Octokit } from "./octokit.js";
import type { IssueRef } from "./status-comment.js";

export interface LabelSpec {
  name: string;
  color: string;
  description: string;
}

/** A label as the REST API returns it on an issue or in a repository's list. */
export interface IssueLabel {
  name: string;
  node_id?: string;
}

const lower = (name: string) => name.toLowerCase();

/**
 * Creates the labels the app manages, with color and description, where a
 * repository lacks them. One list call per repository and cache lifetime.
 * Keeps each label's GraphQL node id, which lets a label swap go out as one request.
 */
export class LabelMaker {
  /** Per repository: lower-cased label name → node id ("" when not known). */
  readonly #known = new LRUCache<string, Map<string, string>>({ max: 5_000, ttl: 60 * 60 * 1000 });

  async ensure(octokit: Octokit, installationId: number, owner: string, repo: string, wanted: LabelSpec[]): Promise<void> {
    const key = repoKey(installationId, owner, repo);
    let existing = this.#known.get(key);
    if (!existing || wanted.some((label) => !existing!.has(lower(label.name)))) {
      const labels = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { owner, repo, per_page: 100 });
      existing = new Map(labels.map((label) => [lower(label.name), label.node_id ?? ""]));
    }
    for (const label of wanted) {
      if (existing.has(lower(label.name))) continue;
      let nodeId = "";
      try {
        nodeId = (await octokit.rest.issues.createLabel({ owner, repo, ...label })).data.node_id ?? "";
      } catch (error) {
        // Created meanwhile by someone else: that is the state we wanted.
        if (statusOf(error) !== 422) throw error;
      }
      existing.set(lower(label.name), nodeId);
    }
    this.#known.set(key, existing);
  }

  /** The node ids this replica knows for one repository's labels. */
  idsFor(installationId: number, owner: string, repo: string): LabelIds {
    const key = repoKey(installationId, owner, repo);
    return {
      of: (name) => this.#known.get(key)?.get(lower(name)) || undefined,
      stale: () => void this.#known.delete(key),
    };
  }
}

function repoKey(installationId: number, owner: string, repo: string): string {
  return `${installationId}:${lower(owner)}/${lower(repo)}`;
}

/** The label set an issue should carry: `current` with `add` added and `remove` removed, case-insensitively. */
export function nextLabels(current: readonly string[], add: readonly string[], remove: readonly string[]): string[] | null {
  const removeSet = new Set(remove.map(lower));
  const kept = current.filter((name) => !removeSet.has(lower(name)));
  const present = new Set(kept.map(lower));
  const added = add.filter((name) => !present.has(lower(name)));
  const next = [...kept, ...added];
  const changed = added.length > 0 || kept.length !== current.length;
  return changed ? next : null;
}

/** An issue as read just now: where to write, its node id, and the labels it carries. */
export interface Labelable {
  ref: IssueRef;
  nodeId?: string;
  labels: readonly IssueLabel[];
}

/** Where the node ids of a repository's labels come from, and how to drop them once GitHub refused one. */
export interface LabelIds {
  of(name: string): string | undefined;
  stale(): void;
}

/** Both halves of a label swap in one request; mutations run in document order. */
const SWAP_LABELS = `mutation SwapLabels($issue: ID!, $add: [ID!]!, $remove: [ID!]!) {
  add: addLabelsToLabelable(input: { labelableId: $issue, labelIds: $add }) { clientMutationId }
  remove: removeLabelsFromLabelable(input: { labelableId: $issue, labelIds: $remove }) { clientMutationId }
}`;

/**
 * Applies a label change as additions and removals, never as a whole-set
 * replace: a set written from a read a second old would drop a label a person
 * added meanwhile (the two-replica test caught exactly that). A change that
 * both adds and removes goes out as one GraphQL request when every node id is
 * known (`labelIds` for the added ones, the fresh read for the rest); else,
 * or if GitHub refuses an id, one REST call per label.
 */
export async function applyLabels(
  octokit: Octokit,
  issue: Labelable,
  add: readonly string[],
  remove: readonly string[],
  labelIds: LabelIds = { of: () => undefined, stale: () => {} },
): Promise<"unchanged" | "graphql" | "rest"> {
  const current = issue.labels.map((label) => label.name);
  const next = nextLabels(current, add, remove);
  if (!next) return "unchanged";
  const had = new Set(current.map(lower));
  const added = next.filter((name) => !had.has(lower(name)));
  const keeps = new Set(next.map(lower));
  const removed = issue.labels.filter((label) => !keeps.has(lower(label.name)));

  const addIds = added.map((name) => labelIds.of(name));
  const removeIds = removed.map((label) => label.node_id);
  if (added.length > 0 && removed.length > 0 && issue.nodeId && [...addIds, ...removeIds].every(Boolean)) {
    try {
      await octokit.graphql(SWAP_LABELS, { issue: issue.nodeId, add: addIds, remove: removeIds });
      return "graphql";
    } catch (error) {
      // A GraphQL error (a label deleted and made again has a new id) answers 200 with `errors`;
      // the REST calls below are idempotent, so they finish whatever half did not happen.
      if (!graphqlErrorsOf(error)) throw error;
      labelIds.stale();
    }
  }
  if (added.length > 0) await octokit.rest.issues.addLabels({ ...issue.ref, labels: added });
  for (const { name } of removed) await removeLabel(octokit, issue.ref, name);
  return "rest";
}

/** Takes a label off an issue; one that is already gone (404) is the state wanted, not an error. */
export async function removeLabel(octokit: Octokit, ref: { owner: string; repo: string; issue_number: number }, name: string): Promise<void> {
  try {
    await octokit.rest.issues.removeLabel({ ...ref, name });
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}
