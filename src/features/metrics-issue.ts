import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { loadConfig, type FileReader, type RepoRef, type SetupResult } from "../config/setup.js";
import type { Config } from "../config/schema.js";
import { statusOf, type Octokit } from "../github/octokit.js";
import { BatchFileReader } from "../github/graphql-source.js";
import { fetchPostmortems, type SourceProgress } from "../github/postmortem-source.js";
import { aggregateRows, evaluatePostmortem, setupFor, type PostmortemIssue, type PostmortemRow, type RepoSetups } from "../postmortem/aggregate.js";
import { mayCopy } from "../github/repos.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { commandMessages } from "../i18n/messages/commands.js";
import { metricsIssueMessages } from "../i18n/messages/metrics-issue.js";
import { security } from "../i18n/messages/security.js";
import { METRICS_MARKER, renderMarkdown } from "../postmortem/report-render.js";
import type { Coordinator } from "../runtime/coordination.js";
import { SharedCache } from "../runtime/shared-cache.js";
import type { CommandSpec } from "./commands.js";

/**
 * The org's "Postmortem metrics" issue, as a reconciler: one issue in the
 * metrics repository (`metrics.repo`, default the postmortem's own), found by
 * its hidden marker among issues the app's bot opened, its body rendered from
 * the aggregate of every postmortem that reports there, and written only when
 * the text changes.
 *
 * Which postmortems count: those of every repository of the installation (in
 * the same account) whose `metrics.repo` resolves to the metrics repository,
 * a repository without `metrics.repo` reporting to itself. Every event computes
 * the same scope, so two repositories can never fight over one issue.
 */

/** The issue's title in English; in Japanese it is `ポストモーテムの指標` (the metrics-issue catalog's `title`). */
export const METRICS_ISSUE_TITLE = metricsIssueMessages.byLanguage.en.title;

/** Where the metrics issue's number is remembered (looked up once, then reused). */
export interface IssueNumberMemory {
  get(key: string): Promise<number | undefined>;
  set(key: string, issueNumber: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** In this process only. */
export function localIssueNumbers(): IssueNumberMemory {
  const numbers = new Map<string, number>();
  return {
    get: async (key) => numbers.get(key),
    set: async (key, n) => void numbers.set(key, n),
    delete: async (key) => void numbers.delete(key),
  };
}

/** Shared by every replica through the coordinator (Redis when REDIS_URL is set). */
export function sharedIssueNumbers(coordinator: Coordinator): IssueNumberMemory {
  const cache = new SharedCache<number>(coordinator, "metrics-issue", 7 * 24 * 60 * 60 * 1000);
  return { get: (key) => cache.get(key), set: (key, n) => cache.set(key, n), delete: (key) => cache.delete(key) };
}

/**
 * Checked postmortems kept between updates, so an update re-checks only the
 * postmortems whose body, config or form changed. A result that depends on
 * the clock (a timestamp in the future) is never kept.
 */
export class RowCache {
  readonly #rows: LRUCache<string, { fingerprint: string; row: PostmortemRow }>;
  readonly #setupPrints = new WeakMap<SetupResult, string>();
  hits = 0;
  misses = 0;

  constructor(max = 50_000) {
    this.#rows = new LRUCache({ max });
  }

  evaluate(pm: PostmortemIssue, setup: SetupResult | undefined, now: Date): PostmortemRow {
    const key = `${pm.repo.toLowerCase()}#${pm.number}`;
    const fingerprint = `${this.#setupPrint(setup)}:${pm.createdAt}:${createHash("sha1").update(pm.body).digest("base64")}`;
    const hit = this.#rows.get(key);
    if (hit && hit.fingerprint === fingerprint) {
      this.hits++;
      return { ...hit.row, title: pm.title, url: pm.url, state: pm.state };
    }
    this.misses++;
    const row = evaluatePostmortem(pm, setup, now);
    if (row.problems.includes("timestamp-future")) this.#rows.delete(key);
    else this.#rows.set(key, { fingerprint, row });
    return row;
  }

  #setupPrint(setup: SetupResult | undefined): string {
    if (!setup) return "none";
    let print = this.#setupPrints.get(setup);
    if (print === undefined) {
      const material = setup.ok
        ? JSON.stringify([setup.setup.config, setup.setup.sources, setup.setup.form.name, setup.setup.form.fields])
        : JSON.stringify(["broken", setup.problems]);
      print = createHash("sha1").update(material).digest("base64");
      this.#setupPrints.set(setup, print);
    }
    return print;
  }
}

export interface MetricsIssueDeps {
  /** `<slug>[bot]`. */
  botLogin: () => Promise<string>;
  now: () => Date;
  /** Config and form reads; the app passes `(octokit, id) => runtime.files.reader(octokit, id)` (cached, invalidated on push). Default: a memo per update. */
  reader?: (octokit: Octokit, installationId: number) => FileReader;
  /** Default: in this process. With several replicas: sharedIssueNumbers(runtime.coordinator). */
  numbers?: IssueNumberMemory;
  /** Default: none (every update checks every postmortem). The app keeps one RowCache for its life. */
  rows?: RowCache;
  /** Serializes updates of one metrics issue (across replicas with the coordinator's withLock). */
  lock?: <T>(key: string, task: () => Promise<T>) => Promise<T>;
}

export interface MetricsIssueTarget {
  installationId: number;
  /** The repository whose postmortem changed (its config names the metrics repository). */
  owner: string;
  repo: string;
}

export interface MetricsIssueOptions {
  onProgress?: (progress: SourceProgress) => void;
}

export type MetricsIssueResult =
  | { outcome: "skipped"; reason: string }
  | {
      outcome: "created" | "updated" | "unchanged";
      metricsRepo: string;
      issueNumber: number;
      /** Postmortems in the period. */
      postmortems: number;
      /** Repositories whose postmortems count there. */
      repos: string[];
    };

/** The metrics repository a repository reports to: `metrics.repo`, else itself. */
export function metricsRepoOf(ref: RepoRef, config: Config): RepoRef {
  const named = config.metrics.repo?.split("/");
  return named && named.length === 2 ? { owner: named[0]!, repo: named[1]! } : ref;
}

function same(a: RepoRef, b: RepoRef): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
}

function fullName(ref: RepoRef): string {
  return `${ref.owner}/${ref.repo}`;
}

/** Checks postmortems in slices, letting other work (webhooks) run in between, so a large org does not block the event loop. */
async function evaluateAll(postmortems: readonly PostmortemIssue[], setups: RepoSetups, now: Date, cache: RowCache | undefined): Promise<PostmortemRow[]> {
  const rows: PostmortemRow[] = [];
  let sliceStart = performance.now();
  for (const pm of postmortems) {
    const setup = setupFor(setups, pm.repo);
    rows.push(cache ? cache.evaluate(pm, setup, now) : evaluatePostmortem(pm, setup, now));
    if (performance.now() - sliceStart > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return rows;
}

/**
 * Brings the metrics issue of `target`'s metrics repository up to date.
 * Reads: the installation's repositories, each one's config (cached by the
 * app), the postmortem issues of the repositories that report there, and the
 * metrics issue itself. Writes: none when the text is unchanged; else one
 * update (or one create the first time).
 */
export async function reconcileMetricsIssue(
  octokit: Octokit,
  deps: MetricsIssueDeps,
  target: MetricsIssueTarget,
  options: MetricsIssueOptions = {},
): Promise<MetricsIssueResult> {
  return (await reconcile(octokit, deps, target, options)).result;
}

/**
 * The update, and the language of the config of `target`'s repository (where a
 * reply goes): a skipped result's reason is in that language. The issue itself
 * is written in the language of the metrics repository's config.
 */
async function reconcile(
  octokit: Octokit,
  deps: MetricsIssueDeps,
  target: MetricsIssueTarget,
  options: MetricsIssueOptions,
): Promise<{ result: MetricsIssueResult; language: Language }> {
  const reader = deps.reader?.(octokit, target.installationId) ?? new BatchFileReader(octokit);
  const home: RepoRef = { owner: target.owner, repo: target.repo };
  const homeConfig = await loadConfig(reader, home);
  if (!homeConfig.ok) {
    const language = homeConfig.language;
    return { result: { outcome: "skipped", reason: messagesOf(metricsIssueMessages, language).configBroken(fullName(home)) }, language };
  }
  const replyLanguage = homeConfig.config.language;
  const why = messagesOf(metricsIssueMessages, replyLanguage);
  const metricsRepo = metricsRepoOf(home, homeConfig.config);
  if (metricsRepo.owner.toLowerCase() !== home.owner.toLowerCase()) {
    return { result: { outcome: "skipped", reason: why.outsideAccount(fullName(metricsRepo), home.owner) }, language: replyLanguage };
  }
  const key = `${target.installationId}:${fullName(metricsRepo).toLowerCase()}`;
  const lock = deps.lock ?? (<T>(_key: string, task: () => Promise<T>) => task());

  const result = await lock(`metrics:${key}`, async (): Promise<MetricsIssueResult> => {
    let heldBack = 0;
    const fetched = await fetchPostmortems(octokit, {
      target: { kind: "org", org: home.owner },
      tokenKind: "installation",
      reader,
      includeRepo: (ref, config, visibility) => {
        if (config === null || !same(metricsRepoOf(ref, config), metricsRepo)) return false;
        // The visibility rule: a repository counts here only if no more people can read the metrics issue than it.
        if (mayCopy(visibility(ref) ?? "private", visibility(metricsRepo) ?? "public", config.metrics.allow_public)) return true;
        heldBack++;
        return false;
      },
      onProgress: options.onProgress,
    });
    const now = deps.now();
    const metricsConfig = await loadConfig(reader, metricsRepo);
    const rows = await evaluateAll(fetched.postmortems, fetched.setups, now, deps.rows);
    const aggregate = aggregateRows(rows, fetched.setups, { now, months: metricsConfig.ok ? metricsConfig.config.metrics.months : undefined });
    // The issue is written in the language of the metrics repository's config.
    const language = metricsConfig.ok ? metricsConfig.config.language : metricsConfig.language;
    const title = messagesOf(metricsIssueMessages, language).title;
    const rendered = renderMarkdown(aggregate, { marker: METRICS_MARKER, heading: title, language });
    const body = heldBack > 0 ? `${rendered}\n\n> ${messagesOf(security, language).metricsHeldBack(heldBack)}\n` : rendered;

    const numbers = deps.numbers ?? localIssueNumbers();
    const bot = await deps.botLogin();
    let issue: { number: number; body: string } | null = null;
    const remembered = await numbers.get(key);
    if (remembered !== undefined) {
      issue = await readOwnIssue(octokit, metricsRepo, remembered, bot);
      if (!issue) await numbers.delete(key);
    }
    const base = { metricsRepo: fullName(metricsRepo), postmortems: aggregate.totals.postmortems, repos: fetched.repos };
    try {
      issue ??= await findMetricsIssue(octokit, metricsRepo, bot);
      if (!issue) {
        const { data } = await octokit.rest.issues.create({ ...metricsRepo, title, body });
        await numbers.set(key, data.number);
        return { outcome: "created", issueNumber: data.number, ...base };
      }
      await numbers.set(key, issue.number);
      if (issue.body === body) return { outcome: "unchanged", issueNumber: issue.number, ...base };
      await octokit.rest.issues.update({ ...metricsRepo, issue_number: issue.number, body });
      return { outcome: "updated", issueNumber: issue.number, ...base };
    } catch (error) {
      const status = statusOf(error);
      // The metrics repository is missing, outside the installation, or has issues turned off: say so, do not crash.
      if (status === 404 || status === 403 || status === 410) {
        return { outcome: "skipped", reason: why.cannotWrite(fullName(metricsRepo), status) };
      }
      throw error;
    }
  });
  return { result, language: replyLanguage };
}

function isMetricsIssue(issue: { user?: { login?: string } | null; body?: string | null; pull_request?: unknown }, bot: string): boolean {
  return !issue.pull_request && issue.user?.login === bot && (issue.body ?? "").includes(METRICS_MARKER);
}

/** The remembered issue, if it is still there, still in this repository and still the app's metrics issue. */
async function readOwnIssue(octokit: Octokit, ref: RepoRef, issueNumber: number, bot: string): Promise<{ number: number; body: string } | null> {
  try {
    const { data } = await octokit.rest.issues.get({ ...ref, issue_number: issueNumber });
    const inRepo = data.html_url.toLowerCase().includes(`/${ref.owner.toLowerCase()}/${ref.repo.toLowerCase()}/issues/`);
    return inRepo && isMetricsIssue(data, bot) ? { number: data.number, body: data.body ?? "" } : null;
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 410) return null;
    throw error;
  }
}

/** The oldest issue the bot opened in `ref` that carries the marker (open or closed). */
async function findMetricsIssue(octokit: Octokit, ref: RepoRef, bot: string): Promise<{ number: number; body: string } | null> {
  const params = { ...ref, creator: bot, state: "all" as const, sort: "created" as const, direction: "asc" as const, per_page: 100 };
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, params)) {
    const found = page.data.filter((issue) => isMetricsIssue(issue, bot)).sort((a, b) => a.number - b.number)[0];
    if (found) return { number: found.number, body: found.body ?? "" };
  }
  return null;
}

// ------------------------------------------------------------------ debouncing

/** A clock the debouncer schedules with (injectable for tests). */
export interface DebounceClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: DebounceClock = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Turns a burst of events into one update: the first `schedule(key, args)`
 * starts a timer of `delayMs` for `key` (e.g. installation + repository);
 * later calls within that window only replace the arguments (the newest
 * wins). When the timer fires, `run(args)` runs once; runs for one key never
 * overlap (an event that arrives during a run schedules another run after it).
 */
export class Debouncer<A> {
  readonly #run: (args: A, key: string) => Promise<unknown>;
  readonly #delayMs: number;
  readonly #clock: DebounceClock;
  readonly #onError: (error: unknown, key: string) => void;
  readonly #waiting = new Map<string, { handle: unknown; args: A }>();
  readonly #running = new Map<string, Promise<void>>();
  runs = 0;

  constructor(
    run: (args: A, key: string) => Promise<unknown>,
    options: { delayMs?: number; clock?: DebounceClock; onError?: (error: unknown, key: string) => void } = {},
  ) {
    this.#run = run;
    this.#delayMs = options.delayMs ?? 10_000;
    this.#clock = options.clock ?? realClock;
    this.#onError = options.onError ?? (() => {});
  }

  schedule(key: string, args: A): void {
    const waiting = this.#waiting.get(key);
    if (waiting) {
      waiting.args = args;
      return;
    }
    const handle = this.#clock.setTimeout(() => this.#fire(key), this.#delayMs);
    this.#waiting.set(key, { handle, args });
  }

  /** Keys with a timer set. */
  get pending(): number {
    return this.#waiting.size;
  }

  /** Runs every waiting update now and resolves when every run has ended (e.g. before shutdown). */
  async flush(): Promise<void> {
    for (const [key, waiting] of [...this.#waiting]) {
      this.#clock.clearTimeout(waiting.handle);
      this.#fire(key);
    }
    await this.idle();
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  /** Drops every waiting update. */
  cancel(): void {
    for (const waiting of this.#waiting.values()) this.#clock.clearTimeout(waiting.handle);
    this.#waiting.clear();
  }

  #fire(key: string): void {
    const waiting = this.#waiting.get(key);
    if (!waiting) return;
    this.#waiting.delete(key);
    const previous = this.#running.get(key) ?? Promise.resolve();
    const run: Promise<void> = previous
      .then(async () => {
        this.runs++;
        await this.#run(waiting.args, key);
      })
      .catch((error: unknown) => this.#onError(error, key))
      .finally(() => {
        if (this.#running.get(key) === run) this.#running.delete(key);
      });
    this.#running.set(key, run);
  }
}

/** The debouncer the app keeps: one metrics update per installation and repository per burst of events. */
export function metricsDebouncer(
  deps: MetricsIssueDeps,
  options: { delayMs?: number; clock?: DebounceClock; onError?: (error: unknown, key: string) => void; onResult?: (result: MetricsIssueResult, target: MetricsIssueTarget) => void } = {},
): Debouncer<{ octokit: Octokit; target: MetricsIssueTarget }> & { request(octokit: Octokit, target: MetricsIssueTarget): void } {
  const debouncer = new Debouncer<{ octokit: Octokit; target: MetricsIssueTarget }>(
    async ({ octokit, target }) => {
      const result = await reconcileMetricsIssue(octokit, deps, target);
      options.onResult?.(result, target);
    },
    options,
  );
  return Object.assign(debouncer, {
    request(octokit: Octokit, target: MetricsIssueTarget) {
      debouncer.schedule(`${target.installationId}:${target.owner.toLowerCase()}/${target.repo.toLowerCase()}`, { octokit, target });
    },
  });
}

/** `/postmortem report`: update the metrics issue now and reply with where it is. */
export function metricsReportCommand(deps: MetricsIssueDeps): CommandSpec {
  return {
    name: "report",
    usage: "/postmortem report",
    description: messagesOf(commandMessages, "en").reportDescription(METRICS_ISSUE_TITLE),
    run: async ({ octokit, installationId, owner, repo }) => {
      const { result, language } = await reconcile(octokit, deps, { installationId, owner, repo }, {});
      // In the language of the config of the repository where the command was written.
      const m = messagesOf(commandMessages, language);
      if (result.outcome === "skipped") return { ok: false, reply: m.reportSkipped(result.reason) };
      return { ok: true, reply: m.reportDone(`${result.metricsRepo}#${result.issueNumber}`, result.outcome, result.postmortems) };
    },
  };
}
