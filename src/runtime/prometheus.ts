import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LRUCache } from "lru-cache";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { definitions, type Metrics } from "../postmortem/metrics.js";
import type { CoordinatorStats } from "./coordination.js";
import { BUDGET_DEFINITION } from "../postmortem/error-budget.js";
import type { LevelAssessment } from "../postmortem/level-check.js";

/**
 * Prometheus metrics of the app (prom-client), served by `metricsHandler` on
 * `GET /metrics`, with `GET /healthz` beside it. Every name starts with
 * `postmortem_bot_`. Label values are bounded: event names, REST route
 * templates (never concrete paths), status codes, severity levels.
 */

export const PREFIX = "postmortem_bot_";

/** Handler durations, seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** TTD / TTR, seconds: 1 min … 2 weeks. */
const INCIDENT_BUCKETS = [60, 300, 600, 1_800, 3_600, 7_200, 14_400, 28_800, 86_400, 172_800, 604_800, 1_209_600];

/** What observePostmortem reads from a validatePostmortem result. */
export type PostmortemObservation = { valid: boolean; severity: string | null; metrics: Metrics; level?: Pick<LevelAssessment, "level" | "budget"> };

/** Error budget consumed by one incident, percent: 1 % … 500 %. */
const BUDGET_BUCKETS = [1, 5, 10, 25, 50, 75, 100, 150, 200, 500];

interface OctokitLike {
  hook: {
    after(name: "request", hook: (response: { status: number; headers: Record<string, unknown> }, options: { method?: string; url?: string }) => void): void;
    error(name: "request", hook: (error: unknown, options: { method?: string; url?: string }) => unknown): void;
  };
}

export interface AppMetrics {
  readonly registry: Registry;
  readonly webhooks: Counter<"event" | "action">;
  readonly handlerDuration: Histogram<"event" | "outcome">;
  readonly apiCalls: Counter<"route" | "status">;
  readonly rateLimitRemaining: Gauge<"resource">;
  readonly errors: Counter<"kind">;
  readonly postmortems: Counter<"severity" | "status">;
  readonly ttd: Histogram<"severity">;
  readonly ttr: Histogram<"severity" | "ttr_from">;
  readonly budget: Histogram<"slo" | "window" | "level">;
  /** Count one webhook delivery (e.g. from `app.onAny`). */
  webhookReceived(event: string, action?: string | undefined): void;
  /** Time a handler; its outcome is `ok` or `error`. */
  timeHandler<T>(event: string, work: () => Promise<T>): Promise<T>;
  /** Count an error (e.g. from `app.onError`), by a short kind such as `handler` or `github-5xx`. */
  recordError(kind: string): void;
  /** Count every GitHub API call this Octokit makes, by route and status, and record `x-ratelimit-remaining`. Idempotent. */
  instrumentOctokit(octokit: unknown): void;
  /**
   * Count a checked postmortem by severity and status (ready / incomplete), and
   * for a ready one observe its TTD and TTR. With `key` (e.g. `owner/repo#12`)
   * a postmortem whose figures did not change since it was last observed is
   * not counted again, so the counts are of postmortems seen, not of checks.
   */
  observePostmortem(validation: PostmortemObservation, options?: { key?: string }): void;
  /** Export the coordinator's counters (deliveries de-duplicated, lock waits, …) on every scrape. */
  watchCoordinator(source: { stats(): CoordinatorStats }): void;
}

const INSTRUMENTED = Symbol("postmortem-bot prometheus");

/** Normalizes a request URL (a template, or an absolute URL from a `Link` header) to a bounded route label. */
export function routeLabel(method: string | undefined, url: string | undefined): string {
  let path = url ?? "";
  const absolute = /^https?:\/\//i.test(path);
  if (absolute) {
    try {
      path = new URL(path).pathname;
    } catch {
      path = "/";
    }
    path = path.replace(/^\/api\/v3(?=\/|$)/, "") || "/";
  }
  path = path.replace(/\{\?[^}]*\}$/, "").split("?")[0] ?? "";
  if (absolute || !path.includes("{")) {
    path = path
      .replace(/^\/repos\/[^/]+\/[^/]+/, "/repos/{owner}/{repo}")
      .replace(/^\/repositories\/\d+/, "/repositories/{repository_id}")
      .replace(/^\/orgs\/[^/]+/, "/orgs/{org}")
      .replace(/^\/users\/[^/]+/, "/users/{username}")
      .replace(/\/\d+(?=\/|$)/g, "/{id}");
  }
  return `${(method ?? "GET").toUpperCase()} ${path || "/"}`;
}

export function createMetrics(registry: Registry = new Registry(), options: { defaultMetrics?: boolean } = {}): AppMetrics {
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const registers = [registry];
  const webhooks = new Counter({ name: `${PREFIX}webhooks_received_total`, help: "Webhook deliveries received, by event and action.", labelNames: ["event", "action"] as const, registers });
  const handlerDuration = new Histogram({
    name: `${PREFIX}handler_duration_seconds`,
    help: "Time spent handling a webhook, by event and outcome (ok, error).",
    labelNames: ["event", "outcome"] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const apiCalls = new Counter({
    name: `${PREFIX}github_api_calls_total`,
    help: "GitHub REST API calls, by route template and HTTP status (`error` when no answer came).",
    labelNames: ["route", "status"] as const,
    registers,
  });
  const rateLimitRemaining = new Gauge({
    name: `${PREFIX}github_rate_limit_remaining`,
    help: "x-ratelimit-remaining of the last GitHub answer, by rate-limit resource (core, search, graphql).",
    labelNames: ["resource"] as const,
    registers,
  });
  const errors = new Counter({ name: `${PREFIX}errors_total`, help: "Errors, by kind.", labelNames: ["kind"] as const, registers });
  const postmortems = new Counter({
    name: `${PREFIX}postmortems_seen_total`,
    help: "Postmortems checked, by severity and status (ready, incomplete); a postmortem counts again only when its figures change.",
    labelNames: ["severity", "status"] as const,
    registers,
  });
  const ttd = new Histogram({
    name: `${PREFIX}postmortem_ttd_seconds`,
    help: `TTD of ready postmortems seen: ${definitions("started").TTD}.`,
    labelNames: ["severity"] as const,
    buckets: INCIDENT_BUCKETS,
    registers,
  });
  const ttr = new Histogram({
    name: `${PREFIX}postmortem_ttr_seconds`,
    help: `TTR of ready postmortems seen: ${definitions("started").TTR} (ttr_from=started) or ${definitions("detected").TTR.replace(/ \(.*\)$/, "")} (ttr_from=detected).`,
    labelNames: ["severity", "ttr_from"] as const,
    buckets: INCIDENT_BUCKETS,
    registers,
  });

  const budget = new Histogram({
    name: `${PREFIX}error_budget_consumed_percent`,
    help: `Error budget consumed by ready postmortems seen, percent, by SLO, SLO window and level (evaluated, else declared): ${BUDGET_DEFINITION}. Budget per window: increase(..._sum[<window>]).`,
    labelNames: ["slo", "window", "level"] as const,
    buckets: BUDGET_BUCKETS,
    registers,
  });

  const sources: { stats(): CoordinatorStats }[] = [];
  const stat = (name: string, help: string, pick: (s: CoordinatorStats) => number) =>
    new Counter({
      name: `${PREFIX}${name}`,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(sources.reduce((sum, s) => sum + pick(s.stats()), 0));
      },
    });
  stat("deliveries_claimed_total", "Webhook deliveries claimed and handled by this replica.", (s) => s.deliveriesClaimed);
  stat("deliveries_duplicate_total", "Webhook deliveries dropped as duplicates (already claimed here or by another replica).", (s) => s.deliveriesDuplicate);
  stat("deliveries_released_total", "Delivery claims given back after a failed handler.", (s) => s.deliveriesReleased);
  stat("lock_acquisitions_total", "Per-issue locks acquired.", (s) => s.lockAcquisitions);
  stat("lock_queued_total", "Lock requests that queued behind work on the same issue in this process.", (s) => s.lockQueued);
  stat("lock_waits_total", "Lock acquisitions that found the lock held by another replica and waited.", (s) => s.lockWaits);
  stat("lock_wait_seconds_total", "Total time spent waiting for per-issue locks.", (s) => s.lockWaitMs / 1000);
  stat("lock_timeouts_total", "Lock requests that gave up after the maximum wait.", (s) => s.lockTimeouts);
  stat("locks_lost_total", "Locks that expired while their task still ran.", (s) => s.locksLost);

  const ttrDetected = definitions("detected").TTR;
  const seen = new LRUCache<string, string>({ max: 20_000 });

  const metrics: AppMetrics = {
    registry,
    webhooks,
    handlerDuration,
    apiCalls,
    rateLimitRemaining,
    errors,
    postmortems,
    ttd,
    ttr,
    budget,
    webhookReceived(event, action) {
      webhooks.inc({ event, action: action ?? "" });
    },
    async timeHandler(event, work) {
      const end = handlerDuration.startTimer({ event });
      try {
        const result = await work();
        end({ outcome: "ok" });
        return result;
      } catch (error) {
        end({ outcome: "error" });
        throw error;
      }
    },
    recordError(kind) {
      errors.inc({ kind });
    },
    instrumentOctokit(octokit) {
      const target = octokit as OctokitLike & { [INSTRUMENTED]?: boolean };
      if (target[INSTRUMENTED]) return;
      target[INSTRUMENTED] = true;
      const rate = (headers: Record<string, unknown> | undefined) => {
        const remaining = Number(headers?.["x-ratelimit-remaining"]);
        if (headers?.["x-ratelimit-remaining"] === undefined || !Number.isFinite(remaining)) return;
        const resource = headers["x-ratelimit-resource"];
        rateLimitRemaining.set({ resource: typeof resource === "string" && /^[a-z_]{1,40}$/.test(resource) ? resource : "core" }, remaining);
      };
      target.hook.after("request", (response, options) => {
        apiCalls.inc({ route: routeLabel(options.method, options.url), status: String(response.status) });
        rate(response.headers);
      });
      target.hook.error("request", (error, options) => {
        const e = error as { status?: unknown; response?: { headers?: Record<string, unknown> } };
        apiCalls.inc({ route: routeLabel(options.method, options.url), status: typeof e.status === "number" ? String(e.status) : "error" });
        rate(e.response?.headers);
        throw error;
      });
    },
    observePostmortem(validation, options = {}) {
      const severity = validation.severity ?? "unspecified";
      const status = validation.valid ? "ready" : "incomplete";
      const ttrFrom = validation.metrics.ttr.definition === ttrDetected ? "detected" : "started";
      if (options.key !== undefined) {
        const signature = JSON.stringify([severity, status, validation.metrics.ttd.seconds, validation.metrics.ttr.seconds, ttrFrom, validation.level?.level?.name, validation.level?.budget?.slos]);
        if (seen.get(options.key) === signature) return;
        seen.set(options.key, signature);
      }
      postmortems.inc({ severity, status });
      if (!validation.valid) return;
      if (validation.metrics.ttd.seconds !== null) ttd.observe({ severity }, validation.metrics.ttd.seconds);
      if (validation.metrics.ttr.seconds !== null) ttr.observe({ severity, ttr_from: ttrFrom }, validation.metrics.ttr.seconds);
      for (const slo of validation.level?.budget?.slos ?? []) {
        if (slo.consumedPercent !== null) budget.observe({ slo: slo.name, window: slo.window, level: validation.level?.level?.name ?? severity }, slo.consumedPercent);
      }
    },
    watchCoordinator(source) {
      if (!sources.includes(source)) sources.push(source);
    },
  };
  return metrics;
}

export interface MetricsHandlerOptions {
  metrics: AppMetrics;
  /** Bearer token `/metrics` requires. Default: `METRICS_TOKEN` from the environment; empty or unset: no auth. */
  token?: string | undefined;
  /** False while the app is not ready or is shutting down: `/healthz` answers 503. Default: always ready. */
  isReady?: () => boolean;
  /** Extra fields for the `/healthz` JSON, e.g. `() => ({ inFlight: inFlightCount() })`. */
  health?: () => Record<string, unknown>;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * A request handler for Probot 14's `addHandler`: answers `GET /metrics`
 * (Prometheus text format; with a token, only to `Authorization: Bearer
 * <token>`, else 401) and `GET /healthz` (200 `{"status":"ok"}`, or 503
 * `{"status":"draining"}` while shutting down). Returns false for anything else.
 */
export function metricsHandler(options: MetricsHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const token = ("token" in options ? options.token : process.env.METRICS_TOKEN)?.trim() || undefined;
  const expected = token === undefined ? null : digest(`Bearer ${token}`);
  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics" && path !== "/healthz") return false;
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("Method Not Allowed\n");
      return true;
    }
    if (path === "/healthz") {
      const ready = options.isReady?.() ?? true;
      const body = JSON.stringify({ status: ready ? "ok" : "draining", ...options.health?.() });
      res.writeHead(ready ? 200 : 503, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(method === "HEAD" ? undefined : body);
      return true;
    }
    if (expected) {
      const given = req.headers.authorization;
      if (typeof given !== "string" || !timingSafeEqual(digest(given.trim()), expected)) {
        res
          .writeHead(401, { "www-authenticate": 'Bearer realm="metrics"', "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" })
          .end("Unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n");
        return true;
      }
    }
    const text = await options.metrics.registry.metrics();
    res.writeHead(200, { "content-type": options.metrics.registry.contentType, "cache-control": "no-store" }).end(method === "HEAD" ? undefined : text);
    return true;
  };
}
