import type { FileReader, RepoRef } from "../config/setup.js";
import type { PostmortemIssue } from "../postmortem/aggregate.js";
import { readRepoFile } from "./files.js";
import { graphqlErrorsOf, type Octokit } from "./octokit.js";

// Reading many repositories through GraphQL, several in one request: a report over an org pays
// for its pages of issues, not for one partly filled last page per repository, and config and
// form files of every repository come in one request instead of one each.

/**
 * Repositories per request. Each brings up to 100 issues with their bodies (≤ 65,536 characters
 * each), so this also bounds a response (and GitHub's work on it) to ~500 issues.
 */
export const REPOS_PER_REQUEST = 5;
/** Files per request: small, so many fit. */
const FILES_PER_REQUEST = 50;

/** A GraphQL document of aliased `repository` fields, one per entry, with its variables. */
function aliased<T>(
  entries: readonly T[],
  prefix: string,
  declare: (i: number) => string[],
  select: (i: number) => string,
  bind: (entry: T, i: number) => Record<string, unknown>,
  shared: { declare?: string[]; variables?: Record<string, unknown> } = {},
): { query: string; variables: Record<string, unknown> } {
  const declarations = [...(shared.declare ?? [])];
  const fields: string[] = [];
  const variables: Record<string, unknown> = { ...shared.variables };
  entries.forEach((entry, i) => {
    declarations.push(...declare(i));
    fields.push(`${prefix}${i}: repository(owner: $o${i}, name: $n${i}) { ${select(i)} }`);
    Object.assign(variables, bind(entry, i));
  });
  return { query: `query(${declarations.join(", ")}) {\n${fields.join("\n")}\n}`, variables };
}

/** The answer of a request whose aliases may have failed alone (a repository not found): the data that came. */
async function partialData(octokit: Octokit, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  try {
    return await octokit.graphql<Record<string, unknown>>(query, variables);
  } catch (error) {
    const data = (error as { data?: unknown }).data;
    if (graphqlErrorsOf(error) && data && typeof data === "object") return data as Record<string, unknown>;
    throw error;
  }
}

const fileKey = (ref: RepoRef, path: string) => `${ref.owner.toLowerCase()}/${ref.repo.toLowerCase()}:${path}`;

/**
 * A file reader for one run that can fetch many files in one request (`prefetch`); a file it was
 * not asked to prefetch, or could not get that way (binary, truncated, the request failed), is read
 * with the contents API as before. Each file is asked for once per run.
 */
export class BatchFileReader implements FileReader {
  readonly #files = new Map<string, Promise<string | null>>();

  constructor(private readonly octokit: Octokit) {}

  async prefetch(files: ReadonlyArray<{ ref: RepoRef; path: string }>): Promise<void> {
    const wanted = new Map<string, { ref: RepoRef; path: string }>();
    for (const file of files) if (!this.#files.has(fileKey(file.ref, file.path))) wanted.set(fileKey(file.ref, file.path), file);
    const list = [...wanted.values()];
    for (let start = 0; start < list.length; start += FILES_PER_REQUEST) {
      const chunk = list.slice(start, start + FILES_PER_REQUEST);
      const { query, variables } = aliased(
        chunk,
        "f",
        (i) => [`$o${i}: String!`, `$n${i}: String!`, `$e${i}: String!`],
        (i) => `object(expression: $e${i}) { ... on Blob { text isBinary isTruncated } }`,
        (file, i) => ({ [`o${i}`]: file.ref.owner, [`n${i}`]: file.ref.repo, [`e${i}`]: `HEAD:${file.path}` }),
      );
      let data: Record<string, unknown>;
      try {
        data = await partialData(this.octokit, query, variables);
      } catch {
        return; // Prefetching only saves calls: the contents API reads whatever is missing.
      }
      chunk.forEach((file, i) => {
        const repository = data[`f${i}`] as { object?: { text?: string | null; isBinary?: boolean; isTruncated?: boolean } | null } | null | undefined;
        if (!repository) return; // not found or not visible: let the contents API give its answer
        const blob = repository.object;
        if (blob === null || blob === undefined) this.#files.set(fileKey(file.ref, file.path), Promise.resolve(null));
        else if (typeof blob.text === "string" && !blob.isBinary && !blob.isTruncated) this.#files.set(fileKey(file.ref, file.path), Promise.resolve(blob.text));
      });
    }
  }

  read(ref: RepoRef, path: string): Promise<string | null> {
    const key = fileKey(ref, path);
    let hit = this.#files.get(key);
    if (!hit) {
      hit = readRepoFile(this.octokit, ref, path);
      this.#files.set(key, hit);
      hit.catch(() => this.#files.delete(key));
    }
    return hit;
  }
}

/** An issue as the listing query selects it. */
export interface IssueNode {
  number: number;
  title: string;
  url: string;
  body: string | null;
  state: "OPEN" | "CLOSED";
  createdAt: string;
  labels: { nodes: Array<{ name: string } | null> | null } | null;
}

interface IssuePage {
  issues: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<IssueNode | null> | null };
}

export interface LabelledRepo {
  ref: RepoRef;
  /** The postmortem label the repository's config names. */
  label: string;
}

/**
 * The issues carrying each repository's postmortem label, open and closed, oldest first, read
 * 100 a page for up to REPOS_PER_REQUEST repositories per request: a repository that runs out of
 * pages makes room for the next. Pull requests are not issues in GraphQL, so none come back.
 * Throws (a GraphQL error) for a repository that does not exist or cannot be seen.
 */
export async function listPostmortemsBatched(
  octokit: Octokit,
  repos: readonly LabelledRepo[],
  options: { updatedSince?: Date; onPage?: (repo: RepoRef, page: number, total: number) => void } = {},
): Promise<PostmortemIssue[][]> {
  const results: PostmortemIssue[][] = repos.map(() => []);
  const cursors: Array<string | null> = repos.map(() => null);
  const pages = repos.map(() => 0);
  const waiting = repos.map((_, index) => index);
  let active: number[] = [];
  while (waiting.length > 0 || active.length > 0) {
    while (active.length < REPOS_PER_REQUEST && waiting.length > 0) active.push(waiting.shift()!);
    const { query, variables } = aliased(
      active,
      "r",
      (i) => [`$o${i}: String!`, `$n${i}: String!`, `$l${i}: [String!]`, `$c${i}: String`],
      (i) =>
        `issues(first: 100, after: $c${i}, labels: $l${i}, states: [OPEN, CLOSED], orderBy: { field: CREATED_AT, direction: ASC }, filterBy: { since: $since }) {` +
        ` pageInfo { hasNextPage endCursor } nodes { number title url body state createdAt labels(first: 100) { nodes { name } } } }`,
      (index, i) => ({ [`o${i}`]: repos[index]!.ref.owner, [`n${i}`]: repos[index]!.ref.repo, [`l${i}`]: [repos[index]!.label], [`c${i}`]: cursors[index] }),
      { declare: ["$since: DateTime"], variables: { since: options.updatedSince?.toISOString() ?? null } },
    );
    const data = await octokit.graphql<Record<string, IssuePage>>(query, variables).catch((error: unknown) => {
      throw withRestStatus(error);
    });
    const still: number[] = [];
    active.forEach((index, i) => {
      const { ref } = repos[index]!;
      const page = data[`r${i}`]!.issues;
      for (const node of page.nodes ?? []) if (node) results[index]!.push(toPostmortem(ref, node));
      options.onPage?.(ref, ++pages[index]!, results[index]!.length);
      if (page.pageInfo.hasNextPage && page.pageInfo.endCursor) {
        cursors[index] = page.pageInfo.endCursor;
        still.push(index);
      }
    });
    active = still;
  }
  return results;
}

/** GraphQL answers a repository that is not there with 200 and `errors`; give it the status REST would have, for callers that explain it. */
function withRestStatus(error: unknown): unknown {
  const errors = graphqlErrorsOf(error);
  if (!errors) return error;
  const status = errors.some((e) => e.type === "NOT_FOUND") ? 404 : errors.some((e) => e.type === "FORBIDDEN") ? 403 : undefined;
  if (status === undefined) return error;
  return Object.assign(new Error(errors[0]?.message ?? "GraphQL error", { cause: error }), { status, response: { data: { message: errors[0]?.message } } });
}

function toPostmortem(ref: RepoRef, node: IssueNode): PostmortemIssue {
  return {
    repo: `${ref.owner}/${ref.repo}`,
    number: node.number,
    title: node.title,
    url: node.url,
    body: node.body ?? "",
    state: node.state === "CLOSED" ? "closed" : "open",
    createdAt: node.createdAt,
    labels: (node.labels?.nodes ?? []).flatMap((label) => (label ? [label.name] : [])),
  };
}
