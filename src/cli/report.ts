import { parseArgs } from "node:util";
import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";
import type { Octokit } from "../github/octokit.js";
import { statusOf } from "../github/octokit.js";
import { parseJsonNatively } from "../github/native-json.js";
import { fetchPostmortems, tokenKindOf, type RepoTarget, type SourceProgress } from "../github/postmortem-source.js";
import { buildAggregate, periods } from "../postmortem/aggregate.js";
import { renderCsv, renderJson, renderMarkdown } from "../postmortem/report-render.js";
import { UsageError, type CliIO } from "./io.js";

export const REPORT_USAGE =
  "usage: postmortem-bot report (--repo <owner/name> | --org <owner>) [--since YYYY-MM-DD] [--format markdown|json|csv] [--now <ISO time>]";

const DEFAULT_API_URL = "https://api.github.com";
const NAME = /^[A-Za-z0-9-]+$/;
const REPO = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/;

/**
 * `postmortem-bot report`: TTD/TTR/TTM median and p90, by severity and by
 * month, with the trend, for a repository or an org, read from GitHub with
 * `GITHUB_TOKEN` (at `GITHUB_API_URL`, default https://api.github.com; GitHub
 * Enterprise Server: https://HOST/api/v3). Progress goes to stderr.
 *
 * Exit codes: 0 the report was printed; 2 bad arguments, no token, or GitHub
 * refused the token or the target (401, 403, 404); 1 any other failure.
 */
export async function report(argv: string[], io: CliIO, env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      repo: { type: "string" },
      org: { type: "string" },
      since: { type: "string" },
      format: { type: "string", default: "markdown" },
      now: { type: "string" },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}\n${REPORT_USAGE}`);
  if ((values.repo === undefined) === (values.org === undefined)) throw new UsageError(`give exactly one of --repo and --org\n${REPORT_USAGE}`);
  let target: RepoTarget;
  if (values.repo !== undefined) {
    const match = REPO.exec(values.repo);
    if (!match) throw new UsageError(`--repo ${JSON.stringify(values.repo)} is not owner/name\n${REPORT_USAGE}`);
    target = { kind: "repo", owner: match[1]!, repo: match[2]! };
  } else {
    if (!NAME.test(values.org!)) throw new UsageError(`--org ${JSON.stringify(values.org)} is not an account name\n${REPORT_USAGE}`);
    target = { kind: "org", org: values.org! };
  }
  const format = values.format;
  if (format !== "markdown" && format !== "json" && format !== "csv") throw new UsageError(`--format must be markdown, json or csv\n${REPORT_USAGE}`);
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now ${JSON.stringify(values.now)} is not an ISO time`);
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = /^\d{4}-\d{2}-\d{2}$/.test(values.since) ? new Date(`${values.since}T00:00:00Z`) : undefined;
    if (!since || Number.isNaN(since.getTime()) || since.toISOString().slice(0, 10) !== values.since) {
      throw new UsageError(`--since ${JSON.stringify(values.since)} is not a date as YYYY-MM-DD`);
    }
    if (since.getTime() > now.getTime()) throw new UsageError(`--since ${values.since} is in the future`);
  }
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) throw new UsageError("GITHUB_TOKEN is not set: a token that can read the repositories' issues and contents is needed");
  const baseUrl = (env.GITHUB_API_URL?.trim() || DEFAULT_API_URL).replace(/\/+$/, "");
  if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(`GITHUB_API_URL ${JSON.stringify(baseUrl)} is not an http(s) URL`);

  const octokit = createCliOctokit(token, baseUrl, io);
  const started = Date.now();
  const progress = progressPrinter(io, started);
  let fetched;
  try {
    // Only issues updated since the start of the previous period can count (an issue is opened after its incident began).
    // Without --since the period follows the configs' metrics.months (at most 60), unknown until they are read.
    const lookBack = periods({ now, since }, 60).previousStart;
    fetched = await fetchPostmortems(octokit, { target, tokenKind: tokenKindOf(token), onProgress: progress, updatedSince: new Date(lookBack) });
  } catch (error) {
    const status = statusOf(error);
    const what = target.kind === "repo" ? `${target.owner}/${target.repo}` : `the ${target.org} account`;
    if (status === 401) {
      io.err(`GitHub rejected GITHUB_TOKEN (401 ${messageOf(error)}) at ${baseUrl}. Check that the token is valid and not expired.`);
      return 2;
    }
    if (status === 403) {
      io.err(`GitHub refused access to ${what} (403 ${messageOf(error)}). The token needs read access to issues and contents (and metadata) of the repositories.`);
      return 2;
    }
    if (status === 404) {
      io.err(`${what} was not found at ${baseUrl}, or GITHUB_TOKEN cannot see it (404).`);
      return 2;
    }
    io.err(`report failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (target.kind === "org" && fetched.repos.length === 0) {
    io.err(`GITHUB_TOKEN sees no repository of ${target.org} with issues.`);
  }

  const aggregate = buildAggregate(fetched.postmortems, fetched.setups, { now, since });
  io.err(
    `report: ${fetched.postmortems.length} postmortem issue(s) in ${fetched.repos.length} repositor${fetched.repos.length === 1 ? "y" : "ies"}; ` +
      `${aggregate.totals.postmortems} in the period (${aggregate.totals.complete} complete, ${aggregate.totals.incomplete} incomplete) — ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  io.out(format === "json" ? renderJson(aggregate) : format === "csv" ? renderCsv(aggregate) : renderMarkdown(aggregate, { maxChars: Number.POSITIVE_INFINITY }));
  return 0;
}

function messageOf(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } }).response?.data;
  if (typeof data?.message === "string") return data.message;
  return error instanceof Error ? error.message : String(error);
}

/** Probot's Octokit (throttling and retries on) with a plain token, at `baseUrl`; its warnings go to stderr. */
export function createCliOctokit(token: string, baseUrl: string, io: CliIO): Octokit {
  const warn = (message: string) => io.err(`report: ${message}`);
  const octokit = new ProbotOctokit({
    auth: { token },
    baseUrl,
    log: { debug: () => {}, info: () => {}, warn, error: warn },
    throttle: {
      enabled: true,
      // Octokit spaces GraphQL requests 1 s apart, as it does writes; the report only reads, one request at a time
      // (what GitHub asks of readers), so 100 pages take seconds, not 100 s.
      write: new Bottleneck.Group({ id: "postmortem-bot-report-reads", maxConcurrent: 1, minTime: 0 }),
      // Wait as GitHub says, a few times, then give up with the error.
      onRateLimit: (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        warn(`rate limited on ${options.method} ${options.url}; retrying in ${retryAfter} s`);
        return retryCount < 3;
      },
      onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        warn(`secondary rate limit on ${options.method} ${options.url}; retrying in ${retryAfter} s`);
        return retryCount < 3;
      },
    },
  }) as Octokit;
  parseJsonNatively(octokit);
  return octokit;
}

/** Progress on stderr: the repository count, then a line per repository and every 10 pages of a long one. */
function progressPrinter(io: CliIO, started: number): (p: SourceProgress) => void {
  return (p) => {
    const elapsed = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (p.phase === "repos") io.err(`report: ${p.repos} repositor${p.repos === 1 ? "y" : "ies"} to read`);
    else if (p.phase === "page" && p.page % 10 === 0) io.err(`report: ${p.repo}: ${p.postmortems} postmortems so far (${p.page} pages, ${elapsed})`);
    else if (p.phase === "repo-done") io.err(`report: ${p.repo}: ${p.postmortems} postmortem(s) [${p.done}/${p.total}, ${elapsed}]`);
  };
}
