import { LRUCache } from "lru-cache";
import { statusOf, type Octokit } from "./octokit.js";

/** Who can read a repository, from fewest to most readers (GitHub's `visibility`). */
export const VISIBILITIES = ["private", "internal", "public"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export interface RepoInfo {
  private: boolean;
  visibility: Visibility;
}

/**
 * The visibility rule (docs/security.md): text of a repository may be copied
 * into another only if the target has no wider visibility, or the source's
 * config opts in (`allow_public_*`). Private to private is allowed: the app
 * cannot compare two private repositories' collaborators with its permissions.
 */
export function mayCopy(from: Visibility, to: Visibility, optedIn: boolean): boolean {
  return optedIn || VISIBILITIES.indexOf(to) <= VISIBILITIES.indexOf(from);
}

/**
 * What the app needs to know of a repository (its visibility), per
 * installation: a repository the installation cannot see reads as null.
 */
export class RepoInfoCache {
  readonly #repos = new LRUCache<string, { info: RepoInfo | null }>({ max: 5_000, ttl: 60 * 60 * 1000 });

  async get(octokit: Octokit, installationId: number, owner: string, repo: string): Promise<RepoInfo | null> {
    const key = `${installationId}:${owner.toLowerCase()}/${repo.toLowerCase()}`;
    const hit = this.#repos.get(key);
    if (hit) return hit.info;
    let info: RepoInfo | null;
    try {
      const { data } = await octokit.rest.repos.get({ owner, repo });
      info = { private: data.private, visibility: visibilityOf(data) };
    } catch (error) {
      if (statusOf(error) !== 404 && statusOf(error) !== 403) throw error;
      info = null;
    }
    this.#repos.set(key, { info });
    return info;
  }
}

export function visibilityOf(data: { private: boolean; visibility?: string }): Visibility {
  return (VISIBILITIES as readonly string[]).includes(data.visibility ?? "") ? (data.visibility as Visibility) : data.private ? "private" : "public";
}
