/**
 * Optional Slack notifications through incoming webhooks, configured per
 * deployment from the environment (webhook URLs are secrets: they never live in
 * a repository, and never reach a log; logs name only the webhook's host).
 *
 * - `SLACK_WEBHOOK_URL`: one webhook for every org the app is installed in.
 * - `SLACK_WEBHOOK_URLS`: a JSON object mapping an org/owner login
 *   (case-insensitive) to a webhook, with an optional `"*"` default; a login
 *   mapped to `null` gets no notifications even when there is a default. With
 *   both variables set, `SLACK_WEBHOOK_URL` is the default for logins the map
 *   does not name (and a `"*"` entry as well is a conflict).
 *
 * A bad configuration is one clear error at startup, and the app runs on
 * without Slack. Sending never throws and never holds up GitHub work: each
 * method returns a promise that always resolves (the caller may ignore it),
 * retries a bounded number of times (5xx, 408, network errors and timeouts
 * with backoff; 429 after its `retry-after`), and logs what failed.
 *
 * The message builders are pure, so tests can assert the exact payloads. User
 * text is escaped for Slack mrkdwn (`&`, `<`, `>`), so nothing in a title can
 * become `<!channel>`, a user mention or a link, and `@names` are neutralized as
 * everywhere else the app echoes user text.
 */
import { setTimeout as delay } from "node:timers/promises";
import { formatDate, formatDuration } from "../i18n/format.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { metricsMessages } from "../i18n/messages/metrics.js";
import { slackMessages } from "../i18n/messages/slack.js";
import { neutralizeMentions } from "../postmortem/text.js";

// ---------------------------------------------------------------------------
// Block Kit (the subset these messages use)

export interface PlainTextObject {
  type: "plain_text";
  text: string;
}

export interface MrkdwnObject {
  type: "mrkdwn";
  text: string;
}

export type SlackBlock =
  | { type: "header"; text: PlainTextObject }
  | { type: "section"; text: MrkdwnObject }
  | { type: "section"; fields: MrkdwnObject[] }
  | { type: "context"; elements: MrkdwnObject[] };

/** An incoming-webhook payload: `text` is the notification fallback, `blocks` the message. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export type TtrFrom = "started" | "detected";

export interface PublishedNotice {
  owner: string;
  repo: string;
  number: number;
  title: string;
  /** The postmortem's `html_url`. */
  url: string;
  severity: string | null;
  ttdSeconds: number | null;
  ttrSeconds: number | null;
  /** How many action items the postmortem lists. */
  actionItems: number;
  /** `metrics.ttr_from` of the postmortem's config: the TTR definition in force. */
  ttrFrom: TtrFrom;
  /** `language` of the postmortem's config: the language of the message. */
  language: Language;
}

export interface RecommendedNotice {
  owner: string;
  repo: string;
  number: number;
  title: string;
  url: string;
  /** The reason key (`lessons`, …), or null for a plain recommendation. */
  reason: string | null;
  /** The reason's description from `reading_list.reasons`. */
  reasonDescription: string | null;
  /** GitHub login of the curator who recommended it. */
  by: string | null;
  /** `language` of the reading list's config: the language of the message. */
  language: Language;
}

export interface OverdueItem {
  title: string;
  /** The follow-up issue's `html_url`. */
  url: string;
  /** Due date as written in the action item (`YYYY-MM-DD`). */
  due: string;
  /** The action item's owner (`@team`, `@person`, …). */
  owner: string;
}

/** At most this many items are listed in a digest; the rest are counted. */
export const DIGEST_LIMIT = 20;

const HEADER_MAX = 150; // Slack's limit for header text
const SECTION_MAX = 3000; // Slack's limit for section text
const TITLE_MAX = 200;

/** Escapes Slack's three control characters, as Slack asks for any text not meant as markup. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** One line, at most `max` characters (code points, so emoji are never split). */
function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(line);
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : line;
}

/** User text for a mrkdwn field: one line, clipped, mentions neutralized, escaped. */
function userText(text: string, max = TITLE_MAX): string {
  return escapeMrkdwn(neutralizeMentions(clip(text, max)));
}

/** `<url|label>` for an http(s) URL; only the escaped label otherwise. */
function link(url: string, label: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return label;
  const safeUrl = url.replace(/&/g, "&amp;").replace(/</g, "%3C").replace(/>/g, "%3E").replace(/\|/g, "%7C");
  return `<${safeUrl}|${label}>`;
}

const mrkdwn = (text: string): MrkdwnObject => ({ type: "mrkdwn", text });
const header = (text: string): SlackBlock => ({ type: "header", text: { type: "plain_text", text: clip(text, HEADER_MAX) } });
const section = (text: string): SlackBlock => ({ type: "section", text: mrkdwn(text) });
const ref = (n: { owner: string; repo: string; number: number }) => `${n.owner}/${n.repo}#${n.number}`;
const duration = (seconds: number | null, language: Language) => (seconds === null ? "—" : formatDuration(seconds, language));

/** The definitions in force, stated wherever the numbers are shown (the metrics catalog's short form). */
export function metricDefinitions(ttrFrom: TtrFrom, language: Language = "en"): string {
  return messagesOf(metricsMessages, language).shortDefinitions(ttrFrom);
}

/** A due date as written (`YYYY-MM-DD`), as a reader of the language writes dates; anything else as written. */
function dueDate(due: string, language: Language): string {
  return language === "ja" && /^\d{4}-\d{2}-\d{2}$/.test(due) ? formatDate(Date.parse(`${due}T00:00:00Z`), "UTC", "ja") : due;
}

export function publishedMessage(n: PublishedNotice): SlackMessage {
  const m = messagesOf(slackMessages, n.language);
  const title = userText(n.title);
  const severity = n.severity ? userText(n.severity, 60) : m.severityNotGiven;
  return {
    text: `${m.published(ref(n))} ${title}`,
    blocks: [
      header(m.published(ref(n))),
      section(`*${link(n.url, title)}*`),
      {
        type: "section",
        fields: [
          mrkdwn(`*${m.severity}*\n${severity}`),
          mrkdwn(`*${m.actionItems}*\n${n.actionItems}`),
          mrkdwn(`*TTD*\n${duration(n.ttdSeconds, n.language)}`),
          mrkdwn(`*TTR*\n${duration(n.ttrSeconds, n.language)}`),
        ],
      },
      { type: "context", elements: [mrkdwn(metricDefinitions(n.ttrFrom, n.language))] },
    ],
  };
}

export function recommendedMessage(n: RecommendedNotice): SlackMessage {
  const m = messagesOf(slackMessages, n.language);
  const title = userText(n.title);
  const reason = n.reason ? `${userText(n.reason, 60)}${n.reasonDescription ? ` — ${userText(n.reasonDescription, 300)}` : ""}` : "—";
  return {
    text: `${m.recommended(ref(n))} ${title}`,
    blocks: [
      header(m.recommended(ref(n))),
      section(`*${link(n.url, title)}*`),
      {
        type: "section",
        fields: [mrkdwn(`*${m.reason}*\n${reason}`), mrkdwn(`*${m.recommendedBy}*\n${n.by ? userText(n.by.replace(/^@/, ""), 60) : "—"}`)],
      },
      { type: "context", elements: [mrkdwn(m.addedToList)] },
    ],
  };
}

export interface DigestOptions {
  /** At most this many items are listed (default DIGEST_LIMIT). */
  limit?: number;
  /** The org's language (see `Notify.overdue`); default English. */
  language?: Language;
}

/** The weekly digest of overdue follow-ups of one org, most overdue first. */
export function overdueDigestMessage(owner: string, items: readonly OverdueItem[], { limit = DIGEST_LIMIT, language = "en" }: DigestOptions = {}): SlackMessage {
  const m = messagesOf(slackMessages, language);
  const sorted = [...items].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  const shown = sorted.slice(0, Math.max(0, limit));
  const count = items.length;
  const summary = count === 0 ? m.noneOverdue : m.overdueSummary(count);
  const lines = shown.map((item) => m.overdueLine(link(item.url, userText(item.title, 150)), userText(dueDate(item.due, language), 20), userText(item.owner, 60)));
  // Pack the lines into sections under Slack's 3,000-character limit.
  const chunks: string[] = [];
  for (const line of lines) {
    const last = chunks.length - 1;
    if (last >= 0 && chunks[last]!.length + 1 + line.length <= SECTION_MAX) chunks[last] += `\n${line}`;
    else chunks.push(line);
  }
  const more = count - shown.length;
  return {
    text: m.overdueText(count, owner),
    blocks: [
      header(m.overdueHeader(owner)),
      section(summary),
      ...chunks.map(section),
      ...(more > 0 ? [{ type: "context" as const, elements: [mrkdwn(m.more(more))] }] : []),
    ],
  };
}

// ---------------------------------------------------------------------------
// Configuration

/** Where each org's messages go: lower-cased login -> URL (`null`: none), else the fallback. */
export interface SlackRoutes {
  owners: ReadonlyMap<string, string | null>;
  fallback: string | null;
}

export type SlackEnvResult = { ok: true; routes: SlackRoutes } | { ok: false; error: string };

const LOOPBACK = new Set(["127.0.0.1", "localhost"]);

/** Why a webhook URL is unacceptable, never echoing it (it is a secret); null when fine. */
function urlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a valid URL";
  }
  if (url.protocol === "https:" && url.hostname !== "") return null;
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) return null;
  return `must be an https:// URL (it is ${url.protocol}//${url.host}/…)`;
}

/** The host a webhook URL may be named by in logs. */
export function redactUrl(url: string): string {
  try {
    return new URL(url).host || "(webhook)";
  } catch {
    return "(webhook)";
  }
}

/**
 * Reads `SLACK_WEBHOOK_URL` / `SLACK_WEBHOOK_URLS`. Null when neither is set;
 * otherwise the routes, or one error message naming every problem (and never a
 * URL). Any problem turns Slack off as a whole rather than silently dropping an org.
 */
export function parseSlackEnv(env: Readonly<Record<string, string | undefined>>): SlackEnvResult | null {
  const single = env.SLACK_WEBHOOK_URL?.trim() || undefined;
  const many = env.SLACK_WEBHOOK_URLS?.trim() || undefined;
  if (single === undefined && many === undefined) return null;
  const errors: string[] = [];
  const owners = new Map<string, string | null>();
  let star: string | null | undefined;

  if (single !== undefined) {
    const problem = urlProblem(single);
    if (problem) errors.push(`SLACK_WEBHOOK_URL ${problem}`);
  }
  if (many !== undefined) {
    let parsed: unknown;
    let valid = true;
    try {
      parsed = JSON.parse(many);
    } catch (error) {
      valid = false;
      // JSON.parse's message can quote the input, which holds secrets: keep only the position.
      const at = error instanceof Error ? /at position (\d+)/.exec(error.message)?.[1] : undefined;
      errors.push(`SLACK_WEBHOOK_URLS is not valid JSON${at ? ` (at character ${at})` : ""}; it should be an object like {"my-org": "https://hooks.slack.com/services/…", "*": "https://…"}`);
    }
    if (valid && (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))) {
      errors.push('SLACK_WEBHOOK_URLS must be a JSON object mapping org logins to webhook URLs, like {"my-org": "https://hooks.slack.com/services/…"}');
    } else if (valid) {
      for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
        const login = key.trim().toLowerCase();
        const name = `SLACK_WEBHOOK_URLS[${JSON.stringify(key)}]`;
        if (login === "") {
          errors.push(`SLACK_WEBHOOK_URLS has an empty org login`);
          continue;
        }
        if ((login === "*" && star !== undefined) || owners.has(login)) {
          errors.push(`${name} names "${login}" a second time (logins are case-insensitive)`);
          continue;
        }
        let url: string | null;
        if (value === null) url = null;
        else if (typeof value !== "string") {
          errors.push(`${name} must be a webhook URL string (or null for no notifications)`);
          continue;
        } else {
          const problem = urlProblem(value.trim());
          if (problem) {
            errors.push(`${name} ${problem}`);
            continue;
          }
          url = value.trim();
        }
        if (login === "*") star = url;
        else owners.set(login, url);
      }
    }
  }
  if (single !== undefined && star !== undefined) {
    errors.push('SLACK_WEBHOOK_URL and SLACK_WEBHOOK_URLS["*"] both set the default webhook; keep one');
  }
  if (errors.length > 0) return { ok: false, error: `Slack notifications are off: ${errors.join("; ")}.` };
  return { ok: true, routes: { owners, fallback: star !== undefined ? star : (single ?? null) } };
}

// ---------------------------------------------------------------------------
// Sending

/** The subset of a pino / Probot logger the notifier uses. */
export interface SlackLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SlackResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** `fetch`, or anything shaped like the part of it the notifier uses. */
export type SlackFetch = (
  url: string,
  init: { method: "POST"; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<SlackResponse>;

export interface SlackNotifierOptions {
  log: SlackLog;
  fetch?: SlackFetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Attempts per message, the first included. Default 3. */
  attempts?: number;
  /** Wait after the first failure, doubled after each further one. Default 1,000 ms (so 1 s, 2 s). */
  backoffMs?: number;
  /** Per-attempt timeout. Default 5,000 ms. */
  timeoutMs?: number;
  /** A 429 asking to wait longer than this is given up on. Default 60,000 ms. */
  maxRetryAfterMs?: number;
}

export type SlackDelivery =
  | { outcome: "sent"; attempts: number }
  | { outcome: "skipped"; reason: string }
  | { outcome: "failed"; attempts: number; reason: string };

export type SlackKind = "published" | "recommended" | "overdue-digest";

export class SlackNotifier {
  readonly #routes: SlackRoutes;
  readonly #log: SlackLog;
  readonly #fetch: SlackFetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #timeoutMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #pending = new Set<Promise<SlackDelivery>>();

  constructor(routes: SlackRoutes, options: SlackNotifierOptions) {
    this.#routes = { owners: new Map([...routes.owners].map(([k, v]) => [k.toLowerCase(), v])), fallback: routes.fallback };
    this.#log = options.log;
    this.#fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
    this.#now = options.now ?? Date.now;
    this.#attempts = Math.max(1, Math.floor(options.attempts ?? 3));
    this.#backoffMs = options.backoffMs ?? 1_000;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  }

  /** Whether messages about `owner`'s postmortems go anywhere (skip costly work, e.g. a digest, when not). */
  enabledFor(owner: string): boolean {
    return this.#urlFor(owner) !== null;
  }

  /** A postmortem was published (its follow-ups are being filed). */
  published(notice: PublishedNotice): Promise<SlackDelivery> {
    return this.#deliver("published", notice.owner, () => publishedMessage(notice));
  }

  /** A postmortem went onto the reading list. */
  recommended(notice: RecommendedNotice): Promise<SlackDelivery> {
    return this.#deliver("recommended", notice.owner, () => recommendedMessage(notice));
  }

  /** The weekly digest of `owner`'s overdue follow-ups, in the org's `language`; nothing is sent when there are none. */
  overdueDigest(owner: string, items: readonly OverdueItem[], language: Language = "en"): Promise<SlackDelivery> {
    if (items.length === 0) return Promise.resolve({ outcome: "skipped", reason: "nothing is overdue" });
    return this.#deliver("overdue-digest", owner, () => overdueDigestMessage(owner, items, { language }));
  }

  /** Resolves once every message in flight is sent or given up on (for graceful shutdown). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  #urlFor(owner: string): string | null {
    const login = owner.toLowerCase();
    return this.#routes.owners.has(login) ? (this.#routes.owners.get(login) ?? null) : this.#routes.fallback;
  }

  #deliver(kind: SlackKind, owner: string, build: () => SlackMessage): Promise<SlackDelivery> {
    const task = this.#send(kind, owner, build).catch((error: unknown): SlackDelivery => {
      const reason = describeError(error, []);
      this.#say("error", { kind, owner, error: reason }, "slack notification failed");
      return { outcome: "failed", attempts: 0, reason };
    });
    this.#pending.add(task);
    void task.then(() => this.#pending.delete(task));
    return task;
  }

  async #send(kind: SlackKind, owner: string, build: () => SlackMessage): Promise<SlackDelivery> {
    const url = this.#urlFor(owner);
    if (url === null) return { outcome: "skipped", reason: `no Slack webhook for ${owner}` };
    const body = JSON.stringify(build());
    const context = { slack: redactUrl(url), kind, owner };
    const secrets = [url, ...secretParts(url)];
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      let retry = true;
      let waitMs = this.#backoffMs * 2 ** (attempt - 1);
      try {
        const response = await this.#fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body,
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        const text = await response.text().catch(() => "");
        if (response.status >= 200 && response.status < 300) {
          this.#say("debug", { ...context, attempts: attempt }, "slack notification sent");
          return { outcome: "sent", attempts: attempt };
        }
        const detail = clip(scrub(text, secrets), 100);
        reason = `Slack answered HTTP ${response.status}${detail ? ` (${detail})` : ""}`;
        if (response.status === 429) {
          const asked = retryAfterMs(response.headers.get("retry-after"), this.#now());
          if (asked !== null && asked > this.#maxRetryAfterMs) {
            retry = false;
            reason += `, asking to wait ${Math.ceil(asked / 1000)} s, longer than the ${Math.ceil(this.#maxRetryAfterMs / 1000)} s this app waits`;
          } else if (asked !== null) waitMs = asked;
        } else if (response.status < 500 && response.status !== 408) retry = false;
      } catch (error) {
        reason = describeError(error, secrets, this.#timeoutMs);
      }
      if (!retry || attempt >= this.#attempts) {
        this.#say("error", { ...context, attempts: attempt, error: reason }, "slack notification failed; giving up");
        return { outcome: "failed", attempts: attempt, reason };
      }
      this.#say("warn", { ...context, attempt, error: reason, retryInMs: waitMs }, "slack notification failed; will retry");
      await this.#sleep(waitMs);
    }
  }

  /** Logging must not break sending either. */
  #say(level: keyof SlackLog, obj: object, msg: string): void {
    try {
      this.#log[level](obj, msg);
    } catch {
      // nothing sensible left to do
    }
  }
}

/** `retry-after` in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The parts of a webhook URL that are secret on their own (its path, query and credentials). */
function secretParts(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.pathname.length > 1 ? u.pathname : "", u.search, u.username, u.password].filter((s) => s.length > 3);
  } catch {
    return [];
  }
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join("[redacted]");
  return out;
}

/** A one-line account of a failure, secrets removed: no stack, no error object whose fields could hold the URL. */
function describeError(error: unknown, secrets: string[], timeoutMs?: number): string {
  const fields = (e: unknown) => (typeof e === "object" && e !== null ? (e as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown }) : {});
  const one = (e: unknown): string => {
    const { message, code } = fields(e);
    const text = typeof message === "string" && message !== "" ? message : String(e);
    return typeof code === "string" && !text.includes(code) ? `${code}: ${text}` : text;
  };
  const { name, cause } = fields(error);
  if (name === "TimeoutError" && timeoutMs !== undefined) return `timed out after ${timeoutMs} ms`;
  const text = cause === undefined || cause === null ? one(error) : `${one(error)} (${one(cause)})`;
  return clip(scrub(text, secrets), 300);
}

/**
 * The notifier this deployment's environment asks for: null when Slack is not
 * configured, or when its configuration is broken (then the problem is logged
 * once, as an error, and the app runs on without Slack).
 */
export function slackFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  log: SlackLog,
  options: Omit<SlackNotifierOptions, "log"> = {},
): SlackNotifier | null {
  const parsed = parseSlackEnv(env);
  if (parsed === null) return null;
  if (!parsed.ok) {
    log.error({ slack: "config" }, parsed.error);
    return null;
  }
  const { owners, fallback } = parsed.routes;
  log.info(
    {
      slack: {
        orgs: [...owners].map(([login, url]) => `${login} -> ${url === null ? "off" : redactUrl(url)}`),
        default: fallback === null ? "none" : redactUrl(fallback),
      },
    },
    "Slack notifications on",
  );
  return new SlackNotifier(parsed.routes, { ...options, log });
}
