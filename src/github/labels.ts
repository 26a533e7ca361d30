import { LRUCache } from "lru-cache";
import { statusOf, type Octokit } from "./octokit.js";

export interface LabelSpec {
  name: string;
  color: string;
  description: string;
}

/**
 * Creates the labels the app manages, with color and description, where a
 * repository lacks them. One list call per repository and cache lifetime.
 */
export class LabelMaker {
  readonly #ensured = new LRUCache<string, Set<string>>({ max: 5_000, ttl: 60 * 60 * 1000 });

  async ensure(octokit: Octokit, installationId: number, owner: string, repo: string, wanted: LabelSpec[]): Promise<void> {
    const key = `${installationId}:${owner.toLowerCase()}/${repo.toLowerCase()}`;
    let existing = this.#ensured.get(key);
    if (!existing || wanted.some((label) => !existing!.has(label.name.toLowerCase()))) {
      const labels = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, { owner, repo, per_page: 100 });
      existing = new Set(labels.map((label) => label.name.toLowerCase()));
    }
    for (const label of wanted) {
      if (existing.has(label.name.toLowerCase())) continue;
      try {
        await octokit.rest.issues.createLabel({ owner, repo, ...label });
      } catch (error) {
        // Created meanwhile by someone else: that is the state we wanted.
        if (statusOf(error) !== 422) throw error;
      }
      existing.add(label.name.toLowerCase());
    }
    this.#ensured.set(key, existing);
  }
}

/** The label set an issue should carry: `current` with `add` added and `remove` removed, case-insensitively. */
export function nextLabels(current: readonly string[], add: readonly string[], remove: readonly string[]): string[] | null {
  const lower = (s: string) => s.toLowerCase();
  const removeSet = new Set(remove.map(lower));
  const kept = current.filter((name) => !removeSet.has(lower(name)));
  const present = new Set(kept.map(lower));
  const added = add.filter((name) => !present.has(lower(name)));
  const next = [...kept, ...added];
  const changed = added.length > 0 || kept.length !== current.length;
  return changed ? next : null;
}

/**
 * Applies a label change with one call per label: add, then remove. Never
 * replaces the whole set: a set written from a read a second old would drop a
 * label a person added meanwhile (the two-replica test caught exactly that).
 */
export async function applyLabels(
  octokit: Octokit,
  issue: { owner: string; repo: string; issue_number: number },
  current: readonly string[],
  add: readonly string[],
  remove: readonly string[],
): Promise<boolean> {
  const next = nextLabels(current, add, remove);
  if (!next) return false;
  const lower = new Set(current.map((name) => name.toLowerCase()));
  const added = next.filter((name) => !lower.has(name.toLowerCase()));
  const removed = current.filter((name) => !next.some((n) => n.toLowerCase() === name.toLowerCase()));
  if (added.length > 0) await octokit.rest.issues.addLabels({ ...issue, labels: added });
  for (const name of removed) {
    try {
      await octokit.rest.issues.removeLabel({ ...issue, name });
    } catch (error) {
      // Already gone: that is the state we wanted.
      if (statusOf(error) !== 404) throw error;
    }
  }
  return true;
}
