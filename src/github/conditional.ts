import { LRUCache } from "lru-cache";
import type { Octokit } from "./octokit.js";

interface Cached {
  etag: string;
  response: { status: number; url: string; headers: Record<string, unknown>; data: unknown };
}

const INSTALLED = Symbol("postmortem-bot conditional requests");

/**
 * Octokit's paginate rewrites a namespaced list answer (`{ total_count, repositories: [...] }`)
 * in place; the kept copy and each served one are objects of their own, so a 304 is normalized
 * again like the 200 was (else the second listing of installation repositories yields the wrapper).
 */
const own = (data: unknown) => (data !== null && typeof data === "object" && !Array.isArray(data) ? { ...data } : data);

/**
 * Conditional GETs: the app remembers each GET's ETag and sends it back as
 * `If-None-Match`; GitHub answers 304, which does not count against the rate
 * limit, when nothing changed (a reading-list page, a config file after its
 * cache expired, a redelivered event's issue). Bounded by size; per process.
 */
export class ConditionalRequests {
  readonly #cache = new LRUCache<string, Cached>({
    maxSize: 32 * 1024 * 1024,
    // The body's length as sent; re-serialising a response to measure it costs more than the GET did.
    sizeCalculation: (entry) => Math.max(1, Number(entry.response.headers["content-length"]) || JSON.stringify(entry.response.data ?? "").length),
  });

  install(octokit: Octokit, scope: string): void {
    const marked = octokit as Octokit & { [INSTALLED]?: boolean };
    if (marked[INSTALLED]) return;
    marked[INSTALLED] = true;
    octokit.hook.wrap("request", async (request, options) => {
      if (options.method !== "GET") return request(options);
      const parsed = octokit.request.endpoint.parse(options);
      const key = `${scope} ${parsed.url} ${String(parsed.headers.accept ?? "")}`;
      const cached = this.#cache.get(key);
      if (cached) options.headers = { ...options.headers, "if-none-match": cached.etag };
      try {
        const response = await request(options);
        const etag = response.headers.etag;
        if (typeof etag === "string") this.#cache.set(key, { etag, response: { status: response.status, url: response.url, headers: { ...response.headers }, data: own(response.data) } });
        return response;
      } catch (error) {
        if ((error as { status?: number }).status === 304 && cached) return { ...cached.response, headers: { ...cached.response.headers }, data: own(cached.response.data) } as never;
        throw error;
      }
    });
  }
}
