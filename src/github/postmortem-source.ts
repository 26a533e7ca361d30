import { CONFIG_PATH, loadConfig, loadSetup, ORG_REPO, type FileReader, type RepoRef, type SetupResult } from "../config/setup.js";
import type { Config } from "../config/schema.js";
import { defaultConfig } from "../config/schema.js";
import type { PostmortemIssue } from "../postmortem/aggregate.js";
import { BatchFileReader, listPostmortemsBatched } from "./graphql-source.js";
import { visibilityOf, type Visibility } from "./repos.js";
import { statusOf, type Octokit } from "./octokit.js";

/**
 * Fetches the postmortems of one repository or of an org, with each
 * repository's setup (config and form, read with loadSetup as every entry
 * point does). API calls, for R repositories holding N postmortems:
 *
 * - the repository list (org only): ⌈R / 100⌉ calls;
 * - every repository's config, and the org `.github` repository's (the
 *   fallback): one GraphQL request per 50 files;
 * - the issues with each repository's postmortem label, open and closed, 100
 *   a page, up to REPOS_PER_REQUEST repositories per GraphQL request: about
 *   ⌈N / 100⌉ / REPOS_PER_REQUEST requests when the repositories are alike,
 *   never fewer than ⌈n / 100⌉ for the largest repository;
 * - the forms of the repositories that have postmortems, and the org's: one
 *   more GraphQL request.
 *
 * So 10,000 postmortems in one repository cost 100 + 2 calls, and in an org of
 * three repositories 1 + 1 + 34 + 1. Files a config reaches by `_extends`, or
 * that GraphQL could not give, are read with the contents API, once per run.
 */

export type RepoTarget = { kind: "repo"; owner: string; repo: string } | { kind: "org"; org: string };

/**
 * How to list an org's repositories: an installation token lists the
 * installation's repositories (`GET /installation/repositories`); a user token
 * lists the org's (`GET /orgs/{org}/repos`, or `GET /users/{user}/repos` when
 * the owner is a user account).
 */
export type TokenKind = "installation" | "user";

export type SourceProgress =
  | { phase: "repos"; repos: number }
  | { phase: "page"; repo: string; page: number; postmortems: number }
  | { phase: "repo-done"; repo: string; postmortems: number; done: number; total: number };

export interface FetchOptions {
  target: RepoTarget;
  /** Default: "installation" for `ghs_` tokens (see tokenKindOf), else "user". */
  tokenKind?: TokenKind;
  /** Reads config and form files. Default: a memo over the contents API for this run. */
  reader?: FileReader;
  /**
   * Only issues updated at or after this instant are listed (the REST `since`
   * filter). A postmortem issue is opened after its incident began, so
   * passing the start of the report's earliest period drops nothing the
   * report would count.
   */
  updatedSince?: Date;
  /** Keep a repository only if its config says so (e.g. `metrics.repo` names the metrics issue's repository). */
  /** `visibility` answers for the listed repositories of an org (undefined for one not listed). */
  includeRepo?: (ref: RepoRef, config: Config | null, visibility: (ref: RepoRef) => Visibility | undefined) => boolean;
  /** Repositories worked on at once (default 4). */
  concurrency?: number;
  onProgress?: (progress: SourceProgress) => void;
}

export interface FetchedPostmortems {
  /** `owner/name` of every repository looked at, sorted. */
  repos: string[];
  postmortems: PostmortemIssue[];
  /** Setup of each repository that has postmortems (or is the `--repo` target), keyed by `owner/name`. */
  setups: Map<string, SetupResult>;
}

/** `ghs_…` tokens are GitHub App installation tokens; everything else (ghp_, gho_, ghu_, github_pat_) acts as a user. */
export function tokenKindOf(token: string): TokenKind {
  return token.startsWith("ghs_") ? "installation" : "user";
}

interface RepoListing {
  owner: { login: string };
  name: string;
  has_issues?: boolean;
  private?: boolean;
  visibility?: string;
}

/** A repository as listed, with who can read it. */
export type ListedRepo = RepoRef & { visibility: Visibility };

/** The repositories of `org` the token can read, sorted by name; repositories with issues turned off are left out. */
export async function listOrgRepos(octokit: Octokit, org: string, tokenKind: TokenKind): Promise<ListedRepo[]> {
  let listed: RepoListing[];
  if (tokenKind === "installation") {
    listed = (await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 })) as unknown as RepoListing[];
  } else {
    try {
      listed = (await octokit.paginate(octokit.rest.repos.listForOrg, { org, type: "all", per_page: 100 })) as RepoListing[];
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      listed = (await octokit.paginate(octokit.rest.repos.listForUser, { username: org, type: "owner", per_page: 100 })) as RepoListing[];
    }
  }
  return listed
    .filter((r) => r.owner.login.toLowerCase() === org.toLowerCase() && r.has_issues !== false)
    .map((r) => ({ owner: r.owner.login, repo: r.name, visibility: visibilityOf({ private: r.private ?? true, visibility: r.visibility }) }))
    .sort((a, b) => a.repo.localeCompare(b.repo));
}

/** Each repository and, after them, its owner's `.github` repository (where config and form fall back to), once. */
function withOrgFallback(repos: readonly RepoRef[]): RepoRef[] {
  const out = [...repos];
  const seen = new Set(repos.map((ref) => `${ref.owner.toLowerCase()}/${ref.repo.toLowerCase()}`));
  for (const ref of repos) {
    const org = { owner: ref.owner, repo: ORG_REPO };
    const key = `${org.owner.toLowerCase()}/${org.repo}`;
    if (!seen.has(key)) out.push(org);
    seen.add(key);
  }
  return out;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the input order in the result. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

/** The postmortems and setups of a repository or an org. */
export async function fetchPostmortems(octokit: Octokit, options: FetchOptions): Promise<FetchedPostmortems> {
  const reader = options.reader ?? new BatchFileReader(octokit);
  const batch = reader instanceof BatchFileReader ? reader : null;
  const { target } = options;
  const listed: (RepoRef & { visibility?: Visibility })[] =
    target.kind === "repo" ? [{ owner: target.owner, repo: target.repo }] : await listOrgRepos(octokit, target.org, options.tokenKind ?? "user");
  const visibilities = new Map(listed.map((r) => [`${r.owner}/${r.repo}`.toLowerCase(), r.visibility]));
  // Plain references from here on: they are spread into API parameters.
  const repos: RepoRef[] = listed.map(({ owner, repo }) => ({ owner, repo }));
  const visibility = (ref: RepoRef) => visibilities.get(`${ref.owner}/${ref.repo}`.toLowerCase());
  options.onProgress?.({ phase: "repos", repos: repos.length });

  // The config names the label; every repository's (and its org's fallback) in one request.
  await batch?.prefetch(withOrgFallback(repos).map((ref) => ({ ref, path: CONFIG_PATH })));
  const configs = await mapLimit(repos, options.concurrency ?? 4, async (ref) => {
    const config = await loadConfig(reader, ref);
    return { ref, config: config.ok ? config.config : null };
  });
  const kept = configs.filter(({ ref, config }) => !options.includeRepo || options.includeRepo(ref, config, visibility));

  const lists = await listPostmortemsBatched(
    octokit,
    kept.map(({ ref, config }) => ({ ref, label: (config ?? defaultConfig).label })),
    {
      updatedSince: options.updatedSince,
      onPage: (ref, page, total) => options.onProgress?.({ phase: "page", repo: `${ref.owner}/${ref.repo}`, page, postmortems: total }),
    },
  );

  // The form is read only where there are postmortems to check.
  const found = kept.map((entry, i) => ({ ...entry, postmortems: lists[i]! })).filter((entry) => entry.postmortems.length > 0 || target.kind === "repo");
  await batch?.prefetch(found.flatMap(({ ref, config }) => withOrgFallback([ref]).map((candidate) => ({ ref: candidate, path: (config ?? defaultConfig).template }))));
  let done = 0;
  const perRepo = await mapLimit(found, options.concurrency ?? 4, async ({ ref, postmortems }) => {
    const full = `${ref.owner}/${ref.repo}`;
    const setup = await loadSetup(reader, ref);
    done++;
    options.onProgress?.({ phase: "repo-done", repo: full, postmortems: postmortems.length, done, total: found.length });
    return { full, postmortems, setup };
  });

  const setups = new Map<string, SetupResult>();
  const postmortems: PostmortemIssue[] = [];
  for (const entry of perRepo) {
    setups.set(entry.full, entry.setup);
    for (const pm of entry.postmortems) postmortems.push(pm); // not push(...): a repository's list can outgrow the argument limit
  }
  return { repos: kept.map(({ ref }) => `${ref.owner}/${ref.repo}`).sort((a, b) => a.localeCompare(b)), postmortems, setups };
}
