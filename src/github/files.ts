import { LRUCache } from "lru-cache";
import { loadSetup, type FileReader, type RepoRef, type SetupResult } from "../config/setup.js";
import { statusOf, type Octokit } from "./octokit.js";

/** Reads a file from a repository's default branch as raw text; null when absent. */
export async function readRepoFile(octokit: Octokit, ref: RepoRef, path: string): Promise<string | null> {
  try {
    const response = await octokit.rest.repos.getContent({ ...ref, path, mediaType: { format: "raw" } });
    // With the raw media type the body is the file's text; a directory comes back as JSON.
    return typeof response.data === "string" ? response.data : null;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/**
 * Config and form files per installation and repository, so an unchanged
 * re-edit reads nothing. Bounded, expires after `ttlMs`, and dropped for a
 * whole owner when a push touches `.github/` (the org `.github` repo feeds
 * every repository's fallback).
 */
export class RepoFileCache {
  readonly #files: LRUCache<string, { text: string | null }>;
  readonly #setups: LRUCache<string, SetupResult>;
  readonly #generations = new Map<string, number>();

  constructor(options: { max?: number; ttlMs?: number } = {}) {
    const ttl = options.ttlMs ?? 10 * 60 * 1000;
    this.#files = new LRUCache({ max: options.max ?? 5_000, ttl });
    this.#setups = new LRUCache({ max: options.max ?? 5_000, ttl });
  }

  /** Config and form for a repository, parsed once per cache lifetime. */
  async setup(octokit: Octokit, installationId: number, ref: RepoRef): Promise<SetupResult> {
    const key = this.#key(installationId, ref, "#setup");
    const hit = this.#setups.get(key);
    if (hit) return hit;
    const result = await loadSetup(this.reader(octokit, installationId), ref);
    this.#setups.set(key, result);
    return result;
  }

  reader(octokit: Octokit, installationId: number): FileReader {
    return {
      read: async (ref, path) => {
        const key = this.#key(installationId, ref, path);
        const hit = this.#files.get(key);
        if (hit) return hit.text;
        const text = await readRepoFile(octokit, ref, path);
        this.#files.set(key, { text });
        return text;
      },
    };
  }

  invalidateOwner(installationId: number, owner: string): void {
    const scope = `${installationId}:${owner.toLowerCase()}`;
    this.#generations.set(scope, (this.#generations.get(scope) ?? 0) + 1);
  }

  #key(installationId: number, ref: RepoRef, path: string): string {
    const scope = `${installationId}:${ref.owner.toLowerCase()}`;
    return `${scope}:${this.#generations.get(scope) ?? 0}:${ref.repo.toLowerCase()}:${path}`;
  }
}
