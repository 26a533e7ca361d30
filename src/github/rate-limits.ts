import type { Octokit } from "./octokit.js";

const INSTALLED = Symbol("postmortem-bot rate-limit retry");

export interface RateLimitOptions {
  /** Retries after a rate-limit answer before giving up. */
  maxRetries?: number;
  /** Longer waits than this are not slept through: the error goes up and the work resumes on a later event. */
  maxWaitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: { warn: (obj: object, msg: string) => void };
}

/**
 * GitHub answers 403 or 429 when a secondary rate limit (too many writes too
 * fast) or the primary one is hit, and says how long to wait. Probot's
 * throttling logs secondary limits without retrying, so this hook waits as
 * told and tries again. Waits are bounded: filing resumes on a later event anyway.
 */
export function installRateLimitRetry(octokit: Octokit, options: RateLimitOptions = {}): void {
  const marked = octokit as Octokit & { [INSTALLED]?: boolean };
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;
  const maxRetries = options.maxRetries ?? 3;
  const maxWait = options.maxWaitSeconds ?? 60;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  octokit.hook.wrap("request", async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const wait = retryAfterSeconds(error);
        if (wait === null || attempt >= maxRetries || wait > maxWait) throw error;
        options.log?.warn({ method: requestOptions.method, url: requestOptions.url, wait, attempt: attempt + 1 }, "rate limited by GitHub; waiting as told");
        await sleep(wait * 1000);
      }
    }
  });
}

/** Seconds GitHub asks to wait, or null when the error is not a rate limit. */
export function retryAfterSeconds(error: unknown, now = Date.now()): number | null {
  const e = error as { status?: number; response?: { headers?: Record<string, string | undefined>; data?: unknown } } | null;
  if (!e || (e.status !== 403 && e.status !== 429)) return null;
  const headers = e.response?.headers ?? {};
  const retryAfter = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter)) return Math.max(0, retryAfter);
  if (headers["x-ratelimit-remaining"] === "0" && headers["x-ratelimit-reset"] !== undefined) {
    return Math.max(0, Math.ceil(Number(headers["x-ratelimit-reset"]) - now / 1000));
  }
  const message = JSON.stringify(e.response?.data ?? "").toLowerCase();
  // Without a header, GitHub's guidance for a secondary limit is to wait at least a minute.
  if (message.includes("secondary rate limit") || e.status === 429) return 60;
  return null;
}
