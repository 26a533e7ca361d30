import { loadSetup, type FileReader, type RepoRef, type SetupResult } from "../config/setup.js";
import type { Coordinator } from "../runtime/coordination.js";
import { GenerationalCache } from "../runtime/shared-cache.js";
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
 * re-edit reads nothing from GitHub. Each replica keeps its own parsed copy,
 * bounded and expiring; a push that touches `.github/` bumps a generation
 * shared by all replicas (through Redis when there are several), which drops
 * the owner's whole scope everywhere: the org `.github` repository feeds every
 * repository's fallback.
 */
export class RepoFileCache {
  readonly #files: GenerationalCache<{ text: string | null }>;
  readonly #setups: GenerationalCache<SetupResult>;

  constructor(coordinator: Coordinator, options: { max?: number; ttlMs?: number } = {}) {
    this.#files = new GenerationalCache(coordinator, "files", options);
    this.#setups = new GenerationalCache(coordinator, "files", options);
  }

  /** Config and form for a repository, parsed once per generation. */
  setup(octokit: Octokit, installationId: number, ref: RepoRef): Promise<SetupResult> {
    return this.#setups.get(scope(installationId, ref.owner), ref.repo.toLowerCase(), () => loadSetup(this.reader(octokit, installationId), ref));
  }

  reader(octokit: Octokit, installationId: number): FileReader {
    return {
      read: async (ref, path) =>
        (await this.#files.get(scope(installationId, ref.owner), `${ref.repo.toLowerCase()}:${path}`, async () => ({ text: await readRepoFile(octokit, ref, path) }))).text,
    };
  }

  async invalidateOwner(installationId: number, owner: string): Promise<void> {
    await this.#files.invalidate(scope(installationId, owner));
  }
}

function scope(installationId: number, owner: string): string {
  return `${installationId}:${owner.toLowerCase()}`;
}
