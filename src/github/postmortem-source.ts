import { loadConfig, loadSetup, type FileReader, type RepoRef, type SetupResult } from "../config/setup.js";
import type { Config } from "../config/schema.js";
import { defaultConfig } from "../config/schema.js";
import type { PostmortemIssue } from "../postmortem/aggregate.js";
import { readRepoFile } from "./files.js";
import { statusOf, type Octokit } from "./octokit.js";

/**
 * Fetches the postmortems of one repository or of an org, with each
 * repository's setup (config and form, read with loadSetup as every entry
 * point does). API calls, for R repositories holding N postmortems:
 *
 * - the repository list (org only): ⌈R / 100⌉ calls;
 * - per repository, its config: 1 read, plus 1 of the org `.github`
 *   repository's when it has none of its own (read once for all);
 * - per repository, the issues with the postmortem label (state=all,
 *   per_page=100): ⌈n / 100⌉ calls, at least 1;
 * - per repository that has postmortems, its form: 1 read, plus 1 of the org
 *   `.github` repository's when it has none of its own (read once for all).
 *
 * So a single repository with 10,000 postmortems costs 100 + 2..4 calls. Files
 * are read through one memo for the whole run, so the org's `.github` files
 * are read once, not once per repository.
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
  includeRepo?: (ref: RepoRef, config: Config | null) => boolean;
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

/** A reader that asks GitHub once per file for the whole run (the org `.github` files serve every repository). */
export function memoReader(octokit: Octokit): FileReader {
  const files = new Map<string, Promise<string | null>>();
  return {
    read(ref, path) {
      const key = `${ref.owner.toLowerCase()}/${ref.repo.toLowerCase()}:${path}`;
      let hit = files.get(key);
      if (!hit) {
        hit = readRepoFile(octokit, ref, path);
        files.set(key, hit);
        hit.catch(() => files.delete(key));
      }
      return hit;
    },
  };
}

interface RepoListing {
  owner: { login: string };
  name: string;
  has_issues?: boolean;
}

/** The repositories of `org` the token can read, sorted by name; repositories with issues turned off are left out. */
export async function listOrgRepos(octokit: Octokit, org: string, tokenKind: TokenKind): Promise<RepoRef[]> {
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
    .map((r) => ({ owner: r.owner.login, repo: r.name }))
    .sort((a, b) => a.repo.localeCompare(b.repo));
}

interface IssueListing {
  number: number;
  title: string;
  html_url: string;
  body?: string | null;
  state: string;
  created_at: string;
  labels: (string | { name?: string | null })[];
  pull_request?: unknown;
}

/** The issues (not pull requests) of a repository that carry `label`, open and closed, 100 a page. */
export async function listRepoPostmortems(
  octokit: Octokit,
  ref: RepoRef,
  label: string,
  options: { updatedSince?: Date; onPage?: (page: number, total: number) => void } = {},
): Promise<PostmortemIssue[]> {
  const full = `${ref.owner}/${ref.repo}`;
  const out: PostmortemIssue[] = [];
  let page = 0;
  const params = {
    owner: ref.owner,
    repo: ref.repo,
    labels: label,
    state: "all" as const,
    per_page: 100,
    ...(options.updatedSince ? { since: options.updatedSince.toISOString() } : {}),
  };
  for await (const response of octokit.paginate.iterator(octokit.rest.issues.listForRepo, params)) {
    page++;
    for (const issue of response.data as IssueListing[]) {
      if (issue.pull_request) continue;
      out.push({
        repo: full,
        number: issue.number,
        title: issue.title,
        url: issue.html_url,
        body: issue.body ?? "",
        state: issue.state === "closed" ? "closed" : "open",
        createdAt: issue.created_at,
        labels: issue.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
      });
    }
    options.onPage?.(page, out.length);
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
  const reader = options.reader ?? memoReader(octokit);
  const { target } = options;
  const repos: RepoRef[] =
    target.kind === "repo" ? [{ owner: target.owner, repo: target.repo }] : await listOrgRepos(octokit, target.org, options.tokenKind ?? "user");
  options.onProgress?.({ phase: "repos", repos: repos.length });

  let done = 0;
  const perRepo = await mapLimit(repos, options.concurrency ?? 4, async (ref) => {
    const full = `${ref.owner}/${ref.repo}`;
    // The config names the label; the form is read only where there are postmortems to check.
    const config = await loadConfig(reader, ref);
    const cfg = config.ok ? config.config : null;
    if (options.includeRepo && !options.includeRepo(ref, cfg)) return null;
    const label = (cfg ?? defaultConfig).label;
    const postmortems = await listRepoPostmortems(octokit, ref, label, {
      updatedSince: options.updatedSince,
      onPage: (page, total) => options.onProgress?.({ phase: "page", repo: full, page, postmortems: total }),
    });
    let setup: SetupResult | null = null;
    if (postmortems.length > 0 || target.kind === "repo") setup = await loadSetup(reader, ref);
    done++;
    options.onProgress?.({ phase: "repo-done", repo: full, postmortems: postmortems.length, done, total: repos.length });
    return { full, postmortems, setup };
  });

  const setups = new Map<string, SetupResult>();
  const postmortems: PostmortemIssue[] = [];
  const names: string[] = [];
  for (const entry of perRepo) {
    if (!entry) continue;
    names.push(entry.full);
    if (entry.setup) setups.set(entry.full, entry.setup);
    postmortems.push(...entry.postmortems);
  }
  return { repos: names.sort((a, b) => a.localeCompare(b)), postmortems, setups };
}
