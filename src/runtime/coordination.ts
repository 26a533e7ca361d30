import { LRUCache } from "lru-cache";
import { DeliveryLog } from "./deliveries.js";
import { KeyedMutex } from "./keyed-mutex.js";

/**
 * What replicas must agree on: which deliveries were handled, who works on an
 * issue right now, a few shared caches and generation counters, and which
 * replica runs a periodic job. In memory for one process; in Redis when
 * `REDIS_URL` is set, so several replicas behind a load balancer give exactly
 * the result one would.
 */
export interface Coordinator {
  /** True when this delivery id is new and now claimed (by this replica). */
  claimDelivery(id: string): Promise<boolean>;
  /** Forget a claim so a redelivery can retry (the handler failed). */
  releaseDelivery(id: string): Promise<void>;
  /**
   * Run `task` while holding the lock for `key` (one issue at a time, across
   * replicas). Tasks for one key run in arrival order within a replica. Not
   * re-entrant: a task must not take the lock for its own key again.
   */
  withLock<T>(key: string, task: (lock: LockHandle) => Promise<T>): Promise<T>;
  /** A small shared key-value store for caches that must agree across replicas (JSON values, TTL in ms). */
  cacheGet<T>(key: string): Promise<T | undefined>;
  cacheSet<T>(key: string, value: T, ttlMs: number): Promise<void>;
  cacheDelete(key: string): Promise<void>;
  /** A counter per key (e.g. a config generation bumped on push), shared across replicas. Starts at 0. */
  generation(key: string): Promise<number>;
  bumpGeneration(key: string): Promise<number>;
  /** Run `task` on at most one replica at a time for `name` (e.g. a periodic sweep); returns null when another replica holds it. */
  runExclusive<T>(name: string, ttlMs: number, task: () => Promise<T>): Promise<T | null>;
  /** Counters for monitoring (exported to Prometheus). A snapshot, not a live view. */
  stats(): CoordinatorStats;
  close(): Promise<void>;
  readonly kind: "memory" | "redis";
}

export interface LockHandle {
  /** Monotonic fencing token for this acquisition: a later holder of the same key always has a larger one. */
  readonly token: number;
  /** Throws LockLostError if the lock was lost (expired and taken by another holder, or already released). */
  assertHeld(): Promise<void>;
}

export interface CoordinatorStats {
  /** Deliveries claimed (handled here). */
  deliveriesClaimed: number;
  /** Deliveries refused because this or another replica had claimed them: the de-duplicated ones. */
  deliveriesDuplicate: number;
  /** Claims given back after a failed handler. */
  deliveriesReleased: number;
  /** Locks acquired by withLock. */
  lockAcquisitions: number;
  /** withLock calls that queued behind a task for the same key in this process. */
  lockQueued: number;
  /** Acquisitions that found the lock held elsewhere (another replica, or a dead one) and had to wait. Always 0 in memory. */
  lockWaits: number;
  /** Total milliseconds between withLock being called and its task starting. */
  lockWaitMs: number;
  /** withLock calls that gave up after the maximum wait. */
  lockTimeouts: number;
  /** Locks that expired while their task still ran (renewal failed; another holder may have taken over). */
  locksLost: number;
  /** runExclusive calls that did not run because another holder had the name. */
  exclusiveSkipped: number;
}

/** The subset of a pino / Probot logger the coordinator uses. */
export interface CoordinatorLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLog: CoordinatorLog = { debug() {}, info() {}, warn() {}, error() {} };

/** The coordination store failed or is unreachable (Redis down, refused, timed out). */
export class CoordinatorError extends Error {
  override readonly name: string = "CoordinatorError";
}

/** withLock waited longer than its maximum for another holder to let go. */
export class LockTimeoutError extends CoordinatorError {
  override readonly name: string = "LockTimeoutError";
  constructor(
    readonly key: string,
    readonly waitedMs: number,
    readonly holder: string | null,
  ) {
    super(`Timed out after ${waitedMs} ms waiting for the lock on "${key}"${holder ? ` (held by ${holder})` : ""}`);
  }
}

/** The lock is no longer ours: it expired and may have been taken by another holder, or the task already ended. */
export class LockLostError extends CoordinatorError {
  override readonly name: string = "LockLostError";
  constructor(
    readonly key: string,
    readonly token: number,
    reason: string,
  ) {
    super(`Lost the lock on "${key}" (fencing token ${token}): ${reason}`);
  }
}

export function emptyStats(): CoordinatorStats {
  return {
    deliveriesClaimed: 0,
    deliveriesDuplicate: 0,
    deliveriesReleased: 0,
    lockAcquisitions: 0,
    lockQueued: 0,
    lockWaits: 0,
    lockWaitMs: 0,
    lockTimeouts: 0,
    locksLost: 0,
    exclusiveSkipped: 0,
  };
}

/** Cache values are stored as JSON in both implementations, so memory and Redis behave the same (no shared references, Dates become strings). */
export function encodeCacheValue(key: string, value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError(`cacheSet("${key}"): the value is not JSON-serializable (${typeof value})`);
  return json;
}

export function checkTtl(what: string, ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`${what}: the TTL must be a positive number of milliseconds, not ${ttlMs}`);
  return Math.ceil(ttlMs);
}

/** The tasks of this process waiting on or holding each lock; one that finds others there counts as queued. */
export class PendingLocks {
  readonly #count = new Map<string, number>();

  async around<T>(key: string, onQueued: () => void, run: () => Promise<T>): Promise<T> {
    const pending = this.#count.get(key) ?? 0;
    if (pending > 0) onQueued();
    this.#count.set(key, pending + 1);
    try {
      return await run();
    } finally {
      const left = (this.#count.get(key) ?? 1) - 1;
      if (left > 0) this.#count.set(key, left);
      else this.#count.delete(key);
    }
  }
}

export function checkKey(what: string, key: string): void {
  if (typeof key !== "string" || key.length === 0) throw new TypeError(`${what}: the key must be a non-empty string`);
}

export interface MemoryCoordinatorOptions {
  /** How long a delivery id is remembered (default 24 h, like GitHub's redelivery window). */
  deliveryTtlMs?: number;
  /** How many delivery ids are remembered at most (default 10,000). */
  maxDeliveries?: number;
  /** Cache entries at most (default 20,000). */
  cacheMax?: number;
  /** Total characters of cached JSON at most (default 32 Mi), so 65 KB comment bodies cannot grow the heap without bound. */
  cacheMaxChars?: number;
}

/** One process: the per-issue KeyedMutex, the DeliveryLog, and an LRU cache. */
export function createMemoryCoordinator(opts: MemoryCoordinatorOptions = {}): Coordinator {
  return new MemoryCoordinator(opts);
}

class MemoryCoordinator implements Coordinator {
  readonly kind = "memory" as const;
  readonly #mutex = new KeyedMutex();
  readonly #deliveries: DeliveryLog;
  readonly #cache: LRUCache<string, string>;
  readonly #generations = new Map<string, number>();
  readonly #exclusive = new Set<string>();
  /** withLock calls per key that are queued or running. */
  readonly #pending = new PendingLocks();
  readonly #stats = emptyStats();
  /** One process-wide counter: strictly increasing, so monotonic per key too. */
  #fence = 0;
  #closed = false;

  constructor(opts: MemoryCoordinatorOptions) {
    this.#deliveries = new DeliveryLog(opts.maxDeliveries ?? 10_000, opts.deliveryTtlMs ?? 24 * 60 * 60 * 1000);
    this.#cache = new LRUCache<string, string>({
      max: opts.cacheMax ?? 20_000,
      maxSize: opts.cacheMaxChars ?? 32 * 1024 * 1024,
      sizeCalculation: (value, key) => value.length + key.length,
    });
  }

  async claimDelivery(id: string): Promise<boolean> {
    this.#open();
    checkKey("claimDelivery", id);
    const claimed = this.#deliveries.claim(id);
    if (claimed) this.#stats.deliveriesClaimed++;
    else this.#stats.deliveriesDuplicate++;
    return claimed;
  }

  async releaseDelivery(id: string): Promise<void> {
    this.#open();
    this.#deliveries.release(id);
    this.#stats.deliveriesReleased++;
  }

  async withLock<T>(key: string, task: (lock: LockHandle) => Promise<T>): Promise<T> {
    this.#open();
    checkKey("withLock", key);
    const calledAt = performance.now();
    return this.#pending.around(key, () => this.#stats.lockQueued++, () =>
      this.#mutex.run(key, async () => {
        this.#stats.lockAcquisitions++;
        this.#stats.lockWaitMs += Math.round(performance.now() - calledAt);
        const token = ++this.#fence;
        let held = true;
        const handle: LockHandle = {
          token,
          assertHeld: async () => {
            if (!held) throw new LockLostError(key, token, "the task holding it has already finished");
          },
        };
        try {
          return await task(handle);
        } finally {
          held = false;
        }
      }),
    );
  }

  async cacheGet<T>(key: string): Promise<T | undefined> {
    this.#open();
    const json = this.#cache.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  async cacheSet<T>(key: string, value: T, ttlMs: number): Promise<void> {
    this.#open();
    checkKey("cacheSet", key);
    this.#cache.set(key, encodeCacheValue(key, value), { ttl: checkTtl("cacheSet", ttlMs) });
  }

  async cacheDelete(key: string): Promise<void> {
    this.#open();
    this.#cache.delete(key);
  }

  async generation(key: string): Promise<number> {
    this.#open();
    return this.#generations.get(key) ?? 0;
  }

  async bumpGeneration(key: string): Promise<number> {
    this.#open();
    checkKey("bumpGeneration", key);
    const next = (this.#generations.get(key) ?? 0) + 1;
    this.#generations.set(key, next);
    return next;
  }

  async runExclusive<T>(name: string, ttlMs: number, task: () => Promise<T>): Promise<T | null> {
    this.#open();
    checkKey("runExclusive", name);
    checkTtl("runExclusive", ttlMs);
    // In one process a holder cannot die without us, so the TTL has nothing to guard against here.
    if (this.#exclusive.has(name)) {
      this.#stats.exclusiveSkipped++;
      return null;
    }
    this.#exclusive.add(name);
    try {
      return await task();
    } finally {
      this.#exclusive.delete(name);
    }
  }

  stats(): CoordinatorStats {
    return { ...this.#stats };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#cache.clear();
  }

  #open(): void {
    if (this.#closed) throw new CoordinatorError("The coordinator is closed");
  }
}

export interface CreateCoordinatorOptions extends MemoryCoordinatorOptions {
  /** `REDIS_URL`; memory when undefined or empty. */
  redisUrl?: string | undefined;
  log?: CoordinatorLog | undefined;
  /** Redis only: key prefix (default `pmbot:`). */
  prefix?: string;
  /** Redis only: how long a lock lives without renewal (default 30 s); renewed every third of it while the task runs. */
  lockTtlMs?: number;
  /** Redis only: how long withLock waits for another holder before it throws LockTimeoutError (default 60 s). */
  lockMaxWaitMs?: number;
}

/**
 * The coordinator for this process: Redis when `redisUrl` is set (connected
 * and checked before this resolves, so a wrong URL stops the app at start with
 * a clear error), memory otherwise. ioredis is loaded only when needed.
 */
export async function createCoordinator(options: CreateCoordinatorOptions = {}): Promise<Coordinator> {
  const { redisUrl, log, prefix, lockTtlMs, lockMaxWaitMs, ...memory } = options;
  const url = redisUrl?.trim();
  if (!url) return createMemoryCoordinator(memory);
  const { createRedisCoordinator } = await import("./redis-coordination.js");
  return createRedisCoordinator({ redisUrl: url, log, prefix, lockTtlMs, lockMaxWaitMs, deliveryTtlMs: memory.deliveryTtlMs });
}
