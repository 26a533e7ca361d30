import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { Redis, type RedisOptions } from "ioredis";
import { KeyedMutex } from "./keyed-mutex.js";
import {
  checkKey,
  checkTtl,
  CoordinatorError,
  emptyStats,
  encodeCacheValue,
  LockLostError,
  LockTimeoutError,
  PendingLocks,
  silentLog,
  type Coordinator,
  type CoordinatorLog,
  type CoordinatorStats,
  type LockHandle,
} from "./coordination.js";

export interface RedisCoordinatorOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. Never logged with its password. */
  redisUrl: string;
  log?: CoordinatorLog | undefined;
  /** Prefix of every key and channel (default `pmbot:`); tests use a random one to isolate themselves. */
  prefix?: string | undefined;
  /** Names this process in lock and delivery values (default `<hostname>:<pid>:<random>`). */
  replicaId?: string | undefined;
  /** A lock lives this long without renewal (default 30 s); it is renewed every third of it while its task runs. */
  lockTtlMs?: number | undefined;
  /** withLock waits at most this long for another holder, then throws LockTimeoutError (default 60 s; keep it above lockTtlMs so a dead holder never causes a timeout). */
  lockMaxWaitMs?: number | undefined;
  /** Polling interval bounds while waiting for a lock (default 20-100 ms, jittered, growing); a release also wakes waiters through pub/sub. */
  pollMinMs?: number | undefined;
  pollMaxMs?: number | undefined;
  /** How long a delivery id is remembered (default 24 h). */
  deliveryTtlMs?: number | undefined;
  /** Fencing counters expire after this long without an acquisition (default 30 days). */
  fenceTtlMs?: number | undefined;
  /** TCP connect and initial handshake budget (default 2 s). */
  connectTimeoutMs?: number | undefined;
  /** A command without an answer fails after this long (default 5 s). */
  commandTimeoutMs?: number | undefined;
  /** Tests only. `disableRenewal` lets locks expire after their TTL as if this replica had died while holding them. */
  testHooks?: { disableRenewal?: boolean } | undefined;
}

const DAY = 24 * 60 * 60 * 1000;

/** SET NX PX the lock; when taken, INCR the fencing counter and return it (>= 1); 0 when the lock is held. */
const ACQUIRE = `
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local token = redis.call('incr', KEYS[2])
  redis.call('pexpire', KEYS[2], ARGV[3])
  return token
end
return 0`;

/** PEXPIRE only while the value is still ours. */
const RENEW = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0`;

/** DEL only while the value is still ours, then wake waiters (when a channel is given). */
const RELEASE = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[1])
  if ARGV[2] ~= '' then redis.call('publish', ARGV[2], KEYS[1]) end
  return 1
end
return 0`;

interface Scripts {
  pmbotAcquire(lockKey: string, fenceKey: string, owner: string, ttlMs: number, fenceTtlMs: number): Promise<number>;
  pmbotRenew(key: string, owner: string, ttlMs: number): Promise<number>;
  pmbotRelease(key: string, owner: string, channel: string): Promise<number>;
}

type ScriptedRedis = Redis & Scripts;

/**
 * Connects, checks the connection, and returns the Redis coordinator. Fails
 * within about `connectTimeoutMs` with a CoordinatorError naming the server
 * (never the password) when Redis is unreachable.
 */
export async function createRedisCoordinator(options: RedisCoordinatorOptions): Promise<RedisCoordinator> {
  const target = describeRedisUrl(options.redisUrl);
  const connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? 5_000,
    // A command issued while Redis is away fails after two reconnection attempts instead of waiting forever.
    maxRetriesPerRequest: 2,
    // Keep reconnecting in the background (Redis restarts), at most every 2 s.
    retryStrategy: (times) => Math.min(100 * times, 2_000),
  };
  const redis = new Redis(options.redisUrl, redisOptions);
  let firstError: Error | undefined;
  const remember = (error: Error) => {
    firstError ??= error;
  };
  redis.on("error", remember);
  try {
    await withTimeout(redis.connect(), connectTimeoutMs, `no answer within ${connectTimeoutMs} ms`);
  } catch (error) {
    redis.disconnect();
    const reason = firstError ?? error;
    throw new CoordinatorError(`Cannot connect to Redis at ${target}: ${messageOf(reason)}`, { cause: reason });
  } finally {
    redis.off("error", remember);
  }
  return new RedisCoordinator(redis, options, target);
}

/** What a lock or exclusive run holds: its key, its owner value, and its renewal. */
interface Lease {
  readonly redisKey: string;
  readonly owner: string;
  readonly token: number;
  /** Set when Redis said the value is no longer ours. */
  lost: boolean;
  released: boolean;
  timer: NodeJS.Timeout | undefined;
}

export class RedisCoordinator implements Coordinator {
  readonly kind = "redis" as const;
  readonly replicaId: string;
  readonly #redis: ScriptedRedis;
  readonly #target: string;
  readonly #log: CoordinatorLog;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #lockTtlMs: number;
  readonly #lockMaxWaitMs: number;
  readonly #pollMinMs: number;
  readonly #pollMaxMs: number;
  readonly #deliveryTtlMs: number;
  readonly #fenceTtlMs: number;
  readonly #renew: boolean;
  readonly #local = new KeyedMutex();
  readonly #pending = new PendingLocks();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #leases = new Set<Lease>();
  readonly #stats = emptyStats();
  #subscriber: Redis | null = null;
  #sequence = 0;
  #closed = false;
  #lastLogged = { message: "", at: 0 };
  /** The last connection error since the connection was last ready, to explain failed commands. */
  #connectionError: Error | null = null;

  constructor(redis: Redis, options: RedisCoordinatorOptions, target: string) {
    this.#redis = redis as ScriptedRedis;
    this.#target = target;
    this.#log = options.log ?? silentLog;
    this.#prefix = options.prefix ?? "pmbot:";
    this.#channel = `${this.#prefix}unlock`;
    this.#lockTtlMs = checkTtl("lockTtlMs", options.lockTtlMs ?? 30_000);
    this.#lockMaxWaitMs = options.lockMaxWaitMs ?? 60_000;
    this.#pollMinMs = options.pollMinMs ?? 20;
    this.#pollMaxMs = Math.max(this.#pollMinMs, options.pollMaxMs ?? 100);
    this.#deliveryTtlMs = checkTtl("deliveryTtlMs", options.deliveryTtlMs ?? DAY);
    this.#fenceTtlMs = checkTtl("fenceTtlMs", options.fenceTtlMs ?? 30 * DAY);
    this.#renew = !options.testHooks?.disableRenewal;
    this.replicaId = options.replicaId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
    redis.defineCommand("pmbotAcquire", { numberOfKeys: 2, lua: ACQUIRE });
    redis.defineCommand("pmbotRenew", { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand("pmbotRelease", { numberOfKeys: 1, lua: RELEASE });
    redis.on("error", (error: Error) => {
      this.#connectionError = error;
      this.#connectionTrouble("Redis connection error", error);
    });
    redis.on("ready", () => {
      this.#connectionError = null;
      if (this.#lastLogged.message) this.#log.info({ redis: this.#target }, "Redis connection restored");
      this.#lastLogged = { message: "", at: 0 };
    });
  }

  async claimDelivery(id: string): Promise<boolean> {
    this.#open();
    checkKey("claimDelivery", id);
    const result = await this.#call("claim delivery", () =>
      this.#redis.set(`${this.#prefix}delivery:${id}`, this.replicaId, "PX", this.#deliveryTtlMs, "NX"),
    );
    const claimed = result === "OK";
    if (claimed) this.#stats.deliveriesClaimed++;
    else this.#stats.deliveriesDuplicate++;
    return claimed;
  }

  async releaseDelivery(id: string): Promise<void> {
    this.#open();
    checkKey("releaseDelivery", id);
    await this.#call("release delivery", () => this.#redis.pmbotRelease(`${this.#prefix}delivery:${id}`, this.replicaId, ""));
    this.#stats.deliveriesReleased++;
  }

  async withLock<T>(key: string, task: (lock: LockHandle) => Promise<T>): Promise<T> {
    this.#open();
    checkKey("withLock", key);
    const calledAt = performance.now();
    // In arrival order within this replica first, so the process never polls against itself.
    return this.#pending.around(key, () => this.#stats.lockQueued++, () => this.#local.run(key, () => this.#underRedisLock(key, calledAt, task)));
  }

  async cacheGet<T>(key: string): Promise<T | undefined> {
    this.#open();
    const json = await this.#call("cache get", () => this.#redis.get(`${this.#prefix}cache:${key}`));
    if (json === null) return undefined;
    try {
      return JSON.parse(json) as T;
    } catch {
      this.#log.warn({ key }, "unreadable shared cache entry ignored");
      return undefined;
    }
  }

  async cacheSet<T>(key: string, value: T, ttlMs: number): Promise<void> {
    this.#open();
    checkKey("cacheSet", key);
    const json = encodeCacheValue(key, value);
    const ttl = checkTtl("cacheSet", ttlMs);
    await this.#call("cache set", () => this.#redis.set(`${this.#prefix}cache:${key}`, json, "PX", ttl));
  }

  async cacheDelete(key: string): Promise<void> {
    this.#open();
    await this.#call("cache delete", () => this.#redis.del(`${this.#prefix}cache:${key}`));
  }

  async generation(key: string): Promise<number> {
    this.#open();
    const value = await this.#call("generation", () => this.#redis.get(`${this.#prefix}gen:${key}`));
    return value === null ? 0 : Number(value);
  }

  async bumpGeneration(key: string): Promise<number> {
    this.#open();
    checkKey("bumpGeneration", key);
    return this.#call("bump generation", () => this.#redis.incr(`${this.#prefix}gen:${key}`));
  }

  async runExclusive<T>(name: string, ttlMs: number, task: () => Promise<T>): Promise<T | null> {
    this.#open();
    checkKey("runExclusive", name);
    const ttl = checkTtl("runExclusive", ttlMs);
    const redisKey = `${this.#prefix}exclusive:${name}`;
    const owner = this.#newOwner();
    const taken = await this.#call("run exclusive", () => this.#redis.set(redisKey, owner, "PX", ttl, "NX"));
    if (taken !== "OK") {
      this.#stats.exclusiveSkipped++;
      return null;
    }
    const lease = this.#startLease(redisKey, owner, 0, ttl, name);
    try {
      return await task();
    } finally {
      // A sweep is idempotent: losing the lease mid-run is logged, the result stands.
      await this.#release(lease, "", name);
    }
  }

  stats(): CoordinatorStats {
    return { ...this.#stats };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const lease of this.#leases) this.#stopRenewal(lease);
    for (const waiters of this.#waiters.values()) for (const wake of [...waiters]) wake();
    const subscriber = this.#subscriber;
    this.#subscriber = null;
    await Promise.all([shutDown(this.#redis), subscriber ? shutDown(subscriber) : undefined]);
  }

  async #underRedisLock<T>(key: string, calledAt: number, task: (lock: LockHandle) => Promise<T>): Promise<T> {
    const lease = await this.#acquire(key);
    this.#stats.lockAcquisitions++;
    this.#stats.lockWaitMs += Math.round(performance.now() - calledAt);
    const handle: LockHandle = {
      token: lease.token,
      assertHeld: () => this.#assertHeld(key, lease),
    };
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await task(handle) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const stillOurs = await this.#release(lease, this.#channel, key);
    if (!outcome.ok) throw outcome.error;
    if (!stillOurs) {
      // The task's writes may have interleaved with another holder's: say so, so the delivery can be retried.
      throw new LockLostError(key, lease.token, "it expired before the task finished, so another holder may have worked on the same key");
    }
    return outcome.value;
  }

  async #acquire(key: string): Promise<Lease> {
    const lockKey = `${this.#prefix}lock:${key}`;
    const fenceKey = `${this.#prefix}fence:${key}`;
    const owner = this.#newOwner();
    const startedAt = Date.now();
    for (let attempt = 0; ; attempt++) {
      this.#open();
      const token = await this.#call("lock", () => this.#redis.pmbotAcquire(lockKey, fenceKey, owner, this.#lockTtlMs, this.#fenceTtlMs));
      if (token > 0) return this.#startLease(lockKey, owner, token, this.#lockTtlMs, key);
      if (attempt === 0) {
        this.#stats.lockWaits++;
        this.#ensureSubscriber();
      }
      const waited = Date.now() - startedAt;
      if (waited >= this.#lockMaxWaitMs) {
        this.#stats.lockTimeouts++;
        const holder = await this.#redis.get(lockKey).catch(() => null);
        throw new LockTimeoutError(key, waited, holder);
      }
      const ceiling = Math.min(this.#pollMaxMs, this.#pollMinMs * 2 ** attempt);
      const delay = this.#pollMinMs + Math.random() * (ceiling - this.#pollMinMs);
      await this.#pause(lockKey, Math.min(delay, this.#lockMaxWaitMs - waited));
    }
  }

  #startLease(redisKey: string, owner: string, token: number, ttlMs: number, label: string): Lease {
    const lease: Lease = { redisKey, owner, token, lost: false, released: false, timer: undefined };
    this.#leases.add(lease);
    if (!this.#renew) return lease;
    const every = Math.max(1, Math.floor(ttlMs / 3));
    const renewSoon = () => {
      lease.timer = setTimeout(() => {
        void this.#redis.pmbotRenew(redisKey, owner, ttlMs).then(
          (renewed) => {
            if (lease.released || lease.lost || this.#closed) return;
            if (renewed === 1) return renewSoon();
            this.#markLost(lease, label, "renewal found the lock gone");
          },
          (error: unknown) => {
            if (lease.released || lease.lost || this.#closed) return;
            // Redis away for a moment: try again; the lock outlives two missed renewals.
            this.#connectionTrouble("lock renewal failed", error, { key: label });
            renewSoon();
          },
        );
      }, every);
      lease.timer.unref();
    };
    renewSoon();
    return lease;
  }

  #stopRenewal(lease: Lease): void {
    if (lease.timer) clearTimeout(lease.timer);
    lease.timer = undefined;
  }

  #markLost(lease: Lease, label: string, reason: string): void {
    if (lease.lost || lease.released) return;
    lease.lost = true;
    this.#stats.locksLost++;
    this.#stopRenewal(lease);
    this.#log.warn({ key: label, token: lease.token }, `lock lost: ${reason}`);
  }

  async #assertHeld(key: string, lease: Lease): Promise<void> {
    if (lease.released) throw new LockLostError(key, lease.token, "the task holding it has already finished");
    if (!lease.lost) {
      const value = await this.#call("check lock", () => this.#redis.get(lease.redisKey));
      if (value === lease.owner) return;
      this.#markLost(lease, key, value === null ? "it expired" : "it expired and another holder took it");
    }
    throw new LockLostError(key, lease.token, "it expired and may have been taken by another holder");
  }

  /** Stops renewal and deletes the key if still ours. True when it was; false when lost; never throws. */
  async #release(lease: Lease, channel: string, label: string): Promise<boolean> {
    this.#stopRenewal(lease);
    this.#leases.delete(lease);
    const wasLost = lease.lost;
    lease.released = true;
    try {
      const deleted = await this.#redis.pmbotRelease(lease.redisKey, lease.owner, channel);
      if (deleted === 1) return true;
      if (!wasLost) {
        this.#stats.locksLost++;
        this.#log.warn({ key: label, token: lease.token }, "lock lost: it expired before the task finished");
      }
      return false;
    } catch (error) {
      // It expires on its own within its TTL.
      this.#connectionTrouble("lock release failed", error, { key: label });
      return !wasLost;
    }
  }

  #newOwner(): string {
    return `${this.replicaId}:${++this.#sequence}`;
  }

  /** Sleeps up to `ms`, or less when a release of `lockKey` is published. */
  #pause(lockKey: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let waiters = this.#waiters.get(lockKey);
      if (!waiters) this.#waiters.set(lockKey, (waiters = new Set()));
      const set = waiters;
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.#waiters.get(lockKey) === set) this.#waiters.delete(lockKey);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      set.add(wake);
    });
  }

  /** One subscriber connection per process, opened at the first contention; polling covers any missed message. */
  #ensureSubscriber(): void {
    if (this.#subscriber || this.#closed) return;
    const subscriber = this.#redis.duplicate();
    this.#subscriber = subscriber;
    subscriber.on("error", (error: Error) => this.#connectionTrouble("Redis subscriber error", error));
    subscriber.on("message", (_channel: string, lockKey: string) => {
      const waiters = this.#waiters.get(lockKey);
      if (waiters) for (const wake of [...waiters]) wake();
    });
    subscriber.subscribe(this.#channel).catch((error: unknown) => {
      this.#connectionTrouble("Redis subscribe failed; waiting by polling only", error);
      if (this.#subscriber === subscriber) this.#subscriber = null;
      subscriber.disconnect();
    });
  }

  async #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof CoordinatorError) throw error;
      // "Reached the max retries per request limit" says little; the connection error says why.
      const down = this.#redis.status !== "ready" && this.#connectionError;
      const reason = down ? `Redis is unreachable (${this.#connectionError?.message})` : messageOf(error);
      throw new CoordinatorError(`Redis ${operation} failed at ${this.#target}: ${reason}`, { cause: error });
    }
  }

  /** Logs connection trouble without flooding: a new message at once, a repeated one at most every 30 s. */
  #connectionTrouble(what: string, error: unknown, extra: object = {}): void {
    if (this.#closed) return;
    const message = `${what}: ${messageOf(error)}`;
    const now = Date.now();
    if (message === this.#lastLogged.message && now - this.#lastLogged.at < 30_000) return;
    this.#lastLogged = { message, at: now };
    this.#log.warn({ redis: this.#target, ...extra }, message);
  }

  #open(): void {
    if (this.#closed) throw new CoordinatorError("The coordinator is closed");
  }
}

/** `redis://host:port/db` with user and password left out, for errors and logs. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url.includes("://") ? url : `redis://${url}`);
    const port = parsed.port || "6379";
    const db = parsed.pathname && parsed.pathname !== "/" ? parsed.pathname : "";
    return `${parsed.protocol}//${parsed.hostname}:${port}${db}`;
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(messageOf).join("; ");
  return error instanceof Error ? error.message : String(error);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function shutDown(client: Redis): Promise<void> {
  if (client.status === "end") return;
  if (client.status !== "ready") return client.disconnect();
  try {
    await withTimeout(client.quit(), 1_000, "quit timed out");
  } catch {
    client.disconnect();
  }
}
