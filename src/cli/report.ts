import { parseArgs } from "node:util";
import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";
import type { Octokit } from "../github/octokit.js";
import { statusOf } from "../github/octokit.js";
import { parseJsonNatively } from "../github/native-json.js";
import { fetchPostmortems, tokenKindOf, type RepoTarget, type SourceProgress } from "../github/postmortem-source.js";
import { buildAggregate, periods, setupFor, type RepoSetups } from "../postmortem/aggregate.js";
import { renderCsv, renderJson, renderMarkdown } from "../postmortem/report-render.js";
import type { Config } from "../config/schema.js";
import { loadConfig, ORG_REPO, type SetupResult } from "../config/setup.js";
import { BatchFileReader } from "../github/graphql-source.js";
import { isLanguage, messagesOf, type Language } from "../i18n/index.js";
import { cliMessages } from "../i18n/messages/cli.js";
import { reportMessages } from "../i18n/messages/report.js";
import { UsageError, type CliIO } from "./io.js";

/** The usage line in English (`postmortem-bot help` lists it); `--lang ja` errors show the Japanese one. */
export const REPORT_USAGE = reportMessages.byLanguage.en.cliUsage;

const DEFAULT_API_URL = "https://api.github.com";
const NAME = /^[A-Za-z0-9-]+$/;
const REPO = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/;

/**
 * `postmortem-bot report`: TTD/TTR/TTM median and p90, by severity and by
 * month, with the trend, for a repository or an org, read from GitHub with
 * `GITHUB_TOKEN` (at `GITHUB_API_URL`, default https://api.github.com; GitHub
 * Enterprise Server: https://HOST/api/v3). Progress goes to stderr.
 *
 * `--lang en|ja`: the language of the markdown (JSON and CSV are the same in
 * every language) and of the messages on stderr. Without it the markdown is in
 * the language of the config of the repository given (`--org`: of the org's
 * `.github` repository, else the one language every config read names, else
 * English), and stderr in English, since most of it is written before any
 * config is read.
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
      lang: { type: "string" },
      now: { type: "string" },
    },
  });
  if (values.lang !== undefined && !isLanguage(values.lang)) throw new UsageError(`${messagesOf(cliMessages, "en").langInvalid}\n${REPORT_USAGE}`);
  const chosen: Language | undefined = values.lang;
  const language: Language = chosen ?? "en";
  const t = messagesOf(cliMessages, language);
  const usage = messagesOf(reportMessages, language).cliUsage;
  if (positionals.length > 0) throw new UsageError(`${t.reportUnexpected(positionals[0]!)}\n${usage}`);
  if ((values.repo === undefined) === (values.org === undefined)) throw new UsageError(`${t.reportOneTarget}\n${usage}`);
  let target: RepoTarget;
  if (values.repo !== undefined) {
    const match = REPO.exec(values.repo);
    if (!match) throw new UsageError(`${t.reportNotRepo(values.repo)}\n${usage}`);
    target = { kind: "repo", owner: match[1]!, repo: match[2]! };
  } else {
    if (!NAME.test(values.org!)) throw new UsageError(`${t.reportNotOrg(values.org!)}\n${usage}`);
    target = { kind: "org", org: values.org! };
  }
  const format = values.format;
  if (format !== "markdown" && format !== "json" && format !== "csv") throw new UsageError(`${t.reportFormat}\n${usage}`);
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(t.nowNotIso(values.now!));
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = /^\d{4}-\d{2}-\d{2}$/.test(values.since) ? new Date(`${values.since}T00:00:00Z`) : undefined;
    if (!since || Number.isNaN(since.getTime()) || since.toISOString().slice(0, 10) !== values.since) {
      throw new UsageError(t.reportSinceNotDate(values.since));
    }
    if (since.getTime() > now.getTime()) throw new UsageError(t.reportSinceFuture(values.since));
  }
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) throw new UsageError(t.reportNoToken);
  const baseUrl = (env.GITHUB_API_URL?.trim() || DEFAULT_API_URL).replace(/\/+$/, "");
  if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(t.reportApiUrl(baseUrl));

  const octokit = createCliOctokit(token, baseUrl, io, language);
  const started = Date.now();
  const progress = progressPrinter(io, started, language);
  // Kept for the language of an org's report: its `.github` config is among the files the fetch reads.
  const reader = new BatchFileReader(octokit);
  let fetched;
  try {
    // Only issues updated since the start of the previous period can count (an issue is opened after its incident began).
    // Without --since the period follows the configs' metrics.months (at most 60), unknown until they are read.
    const lookBack = periods({ now, since }, 60).previousStart;
    fetched = await fetchPostmortems(octokit, { target, tokenKind: tokenKindOf(token), reader, onProgress: progress, updatedSince: new Date(lookBack) });
  } catch (error) {
    const status = statusOf(error);
    const what = t.reportTarget(target.kind === "repo" ? { repo: `${target.owner}/${target.repo}` } : { org: target.org });
    if (status === 401) {
      io.err(t.report401(messageOf(error), baseUrl));
      return 2;
    }
    if (status === 403) {
      io.err(t.report403(what, messageOf(error)));
      return 2;
    }
    if (status === 404) {
      io.err(t.report404(what, baseUrl));
      return 2;
    }
    io.err(t.reportFailed(error instanceof Error ? error.message : String(error)));
    return 1;
  }
  if (target.kind === "org" && fetched.repos.length === 0) {
    io.err(t.reportNoRepos(target.org));
  }

  const aggregate = buildAggregate(fetched.postmortems, fetched.setups, { now, since });
  io.err(t.reportDone(fetched.postmortems.length, fetched.repos.length, aggregate.totals, ((Date.now() - started) / 1000).toFixed(1)));
  if (format !== "markdown") {
    io.out(format === "json" ? renderJson(aggregate) : renderCsv(aggregate));
    return 0;
  }
  let markdownLanguage = chosen;
  if (markdownLanguage === undefined) {
    const orgConfig = target.kind === "org" ? await loadConfig(reader, { owner: target.org, repo: ORG_REPO }).catch(() => null) : null;
    markdownLanguage = configLanguage(target, fetched.setups, orgConfig?.ok ? orgConfig.config : null);
  }
  io.out(renderMarkdown(aggregate, { maxChars: Number.POSITIVE_INFINITY, language: markdownLanguage }));
  return 0;
}

/**
 * The language the report's config names: that of the repository given; for an
 * org, that of its `.github` repository's config (the org's fallback), else the
 * one every repository's config read agrees on; else English.
 */
export function configLanguage(target: RepoTarget, setups: RepoSetups, orgConfig: Config | null = null): Language {
  const languageOf = (setup: SetupResult | undefined): Language | undefined => (setup ? (setup.ok ? setup.setup.config.language : setup.config?.language) : undefined);
  if (target.kind === "repo") return languageOf(setupFor(setups, `${target.owner}/${target.repo}`)) ?? "en";
  if (orgConfig) return orgConfig.language;
  const named = new Set([...setups.values()].flatMap((s) => languageOf(s) ?? []));
  return named.size === 1 ? [...named][0]! : "en";
}

function messageOf(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } }).response?.data;
  if (typeof data?.message === "string") return data.message;
  return error instanceof Error ? error.message : String(error);
}

/** Probot's Octokit (throttling and retries on) with a plain token, at `baseUrl`; its warnings go to stderr. */
export function createCliOctokit(token: string, baseUrl: string, io: CliIO, language: Language = "en"): Octokit {
  const t = messagesOf(cliMessages, language);
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
        warn(t.reportRateLimited(`${options.method} ${options.url}`, retryAfter));
        return retryCount < 3;
      },
      onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        warn(t.reportSecondaryLimit(`${options.method} ${options.url}`, retryAfter));
        return retryCount < 3;
      },
    },
  }) as Octokit;
  parseJsonNatively(octokit);
  return octokit;
}

/** Progress on stderr: the repository count, then a line per repository and every 10 pages of a long one. */
function progressPrinter(io: CliIO, started: number, language: Language): (p: SourceProgress) => void {
  const t = messagesOf(cliMessages, language);
  return (p) => {
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    if (p.phase === "repos") io.err(t.reportRepos(p.repos));
    else if (p.phase === "page" && p.page % 10 === 0) io.err(t.reportPages(p.repo, p.postmortems, p.page, elapsed));
    else if (p.phase === "repo-done") io.err(t.reportRepoDone(p.repo, p.postmortems, p.done, p.total, elapsed));
  };
}
