import { LRUCache } from "lru-cache";
import { statusOf, type Octokit } from "./octokit.js";

export interface RepoInfo {
  private: boolean;
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
      info = { private: data.private };
    } catch (error) {
      if (statusOf(error) !== 404 && statusOf(error) !== 403) throw error;
      info = null;
    }
    this.#repos.set(key, { info });
    return info;
  }
}
