import { LRUCache } from "lru-cache";
import type { Setup } from "../config/setup.js";
import { parseBody, type ParsedBody } from "../form/body.js";
import type { Octokit } from "../github/octokit.js";
import { fetchPostmortems, type Visibility } from "../github/postmortem-source.js";
import { docBasis, docFrom, readSimilarState, SimilarityIndex, visibleFrom, type DocSource, type SimilarDoc, type SimilarMatch, type SimilarState } from "../postmortem/similarity.js";
import type { PostmortemState } from "../postmortem/status.js";

interface InstallationIndex {
  owner: string;
  index: SimilarityIndex;
  /** Visibility by `owner/name`, lower case, as the installation's repository list gave it. */
  visibility: Map<string, Visibility>;
  builtAt: number;
}

export interface SimilarOptions {
  now?: () => Date;
  /** Postmortems kept per installation (the oldest go first). */
  maxDocs?: number;
  /** Installations kept (least recently used go first). */
  maxInstallations?: number;
  /** After this, the next lookup reads the installation's postmortems again (events this replica did not see). */
  maxAgeMs?: number;
}

/**
 * The similarity index of each installation, in memory. Built on the first lookup from the same
 * batched GraphQL reads as the report (fetchPostmortems: the installation's repositories, their
 * configs, 100 issues a page for up to five repositories per request, their forms), then kept
 * current by every reconcile of a postmortem, which hands over the body it read anyway: no API
 * call after the build. Bounded: `maxDocs` postmortems per installation, `maxInstallations`
 * installations. Each replica keeps its own; an index older than `maxAgeMs` is read again, so
 * edits another replica handled are taken in within that time. Nothing crosses installations:
 * an index is read with, and only answers, its own installation.
 */
export class SimilarPostmortems {
  readonly #indexes: LRUCache<number, InstallationIndex>;
  readonly #building = new Map<number, Promise<InstallationIndex>>();
  readonly #docs = new WeakMap<ParsedBody, { key: string; setup: Setup; doc: SimilarDoc }>();
  readonly #now: () => Date;
  readonly #maxDocs: number;
  readonly #maxAgeMs: number;

  constructor(options: SimilarOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#maxDocs = options.maxDocs ?? 10_000;
    this.#maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
    this.#indexes = new LRUCache({ max: options.maxInstallations ?? 20 });
  }

  /** The document of a postmortem just read; a loaded index takes it in (no API call). */
  observe(installationId: number, source: Omit<DocSource, "visibility">, parsed: ParsedBody, setup: Setup): SimilarDoc {
    const loaded = this.#indexes.peek(installationId);
    const full = { ...source, visibility: loaded?.visibility.get(source.repo.toLowerCase()) ?? "private" };
    // An unchanged body comes back as the same parsed object (the validation cache): its document is the one made last time.
    const key = `${installationId}\u0000${JSON.stringify(full)}`;
    const known = this.#docs.get(parsed);
    const doc = known?.key === key && known.setup === setup ? known.doc : docFrom(full, parsed, setup.form, setup.config);
    if (doc !== known?.doc) this.#docs.set(parsed, { key, setup, doc });
    if (loaded && sameOwner(loaded.owner, source.repo) && loaded.index.get(doc.ref) !== doc) loaded.index.put(doc);
    return doc;
  }

  /** A postmortem that is gone (deleted, transferred, label removed) is no longer suggested. */
  forget(installationId: number, ref: string): void {
    this.#indexes.peek(installationId)?.index.remove(ref);
  }

  /** Up to `limit` earlier postmortems of the installation like `doc` that readers of `doc`'s repository may see. */
  async suggest(octokit: Octokit, installationId: number, owner: string, doc: SimilarDoc, limit: number): Promise<SimilarMatch[]> {
    const loaded = await this.#load(octokit, installationId, owner);
    loaded.index.put(doc);
    const reader = { repo: doc.repo, visibility: loaded.visibility.get(doc.repo.toLowerCase()) };
    return loaded.index.similarTo(doc, { limit, visible: (candidate) => sameOwner(owner, candidate.repo) && visibleFrom(reader, candidate) });
  }

  /** Every postmortem of the installation (the index is built first when needed), and the visibility of `repo`. */
  async docs(octokit: Octokit, installationId: number, owner: string, repo: string): Promise<{ docs: SimilarDoc[]; visibility: Visibility | undefined }> {
    const loaded = await this.#load(octokit, installationId, owner);
    return { docs: [...loaded.index.docs()].filter((doc) => sameOwner(owner, doc.repo)), visibility: loaded.visibility.get(`${owner}/${repo}`.toLowerCase()) };
  }

  /** The index, built once per installation at a time however many lookups wait for it. */
  async #load(octokit: Octokit, installationId: number, owner: string): Promise<InstallationIndex> {
    const loaded = this.#indexes.get(installationId);
    if (loaded && this.#now().getTime() - loaded.builtAt < this.#maxAgeMs) return loaded;
    let building = this.#building.get(installationId);
    if (!building) {
      building = this.#build(octokit, owner).finally(() => this.#building.delete(installationId));
      this.#building.set(installationId, building);
    }
    const built = await building;
    this.#indexes.set(installationId, built);
    return built;
  }

  async #build(octokit: Octokit, owner: string): Promise<InstallationIndex> {
    const builtAt = this.#now().getTime();
    const fetched = await fetchPostmortems(octokit, { target: { kind: "org", org: owner }, tokenKind: "installation" });
    const visibility = new Map([...fetched.visibility].map(([repo, v]) => [repo.toLowerCase(), v] as const));
    const index = new SimilarityIndex(this.#maxDocs);
    for (const pm of fetched.postmortems) {
      const setup = fetched.setups.get(pm.repo);
      if (!setup?.ok) continue;
      const { form, config } = setup.setup;
      const source = { repo: pm.repo, number: pm.number, title: pm.title, url: pm.url, createdAt: pm.createdAt, visibility: visibility.get(pm.repo.toLowerCase()) ?? "private" };
      index.put(docFrom(source, parseBody(pm.body, form), form, config));
    }
    return { owner, index, visibility, builtAt };
  }
}

function sameOwner(owner: string, repo: string): boolean {
  return repo.toLowerCase().startsWith(`${owner.toLowerCase()}/`);
}

export interface SimilarInput {
  installationId: number;
  owner: string;
  repo: string;
  issue: { number: number; title: string; html_url: string; created_at: string };
  parsed: ParsedBody;
  setup: Setup;
  previous: PostmortemState | null;
  status: "ready" | "incomplete";
  /** `/postmortem similar`: look again now, whatever changed. */
  asked: boolean;
  onError?: (error: unknown) => void;
}

/**
 * The suggestions the status comment keeps. Looked up only when the postmortem becomes ready
 * (and its content differs from what the kept suggestions were computed for) or when asked;
 * otherwise the kept ones stay, so an edit costs nothing here. A lookup that fails (the index
 * could not be read) keeps what was there: the check itself must not fail for it; the next
 * transition or `/postmortem similar` tries again.
 */
export async function similarForStatus(octokit: Octokit, similar: SimilarPostmortems | undefined, input: SimilarInput): Promise<SimilarState | undefined> {
  const { config } = input.setup;
  if (!similar || !config.similar.enabled) return undefined;
  const source = { repo: `${input.owner}/${input.repo}`, number: input.issue.number, title: input.issue.title, url: input.issue.html_url, createdAt: input.issue.created_at };
  const doc = similar.observe(input.installationId, source, input.parsed, input.setup);
  const kept = readSimilarState(input.previous);
  const becameReady = input.status === "ready" && input.previous?.status !== "ready";
  if (!input.asked && !becameReady) return kept;
  const basis = docBasis(doc);
  if (!input.asked && kept?.basis === basis) return kept;
  try {
    return { basis, items: await similar.suggest(octokit, input.installationId, input.owner, doc, config.similar.limit) };
  } catch (error) {
    input.onError?.(error);
    return kept;
  }
}
