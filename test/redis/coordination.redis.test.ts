import { randomUUID } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CoordinatorError, createCoordinator, LockLostError, LockTimeoutError, type LockHandle } from "../../src/runtime/coordination.js";
import { createRedisCoordinator, type RedisCoordinator, type RedisCoordinatorOptions } from "../../src/runtime/redis-coordination.js";
import { GenerationalCache } from "../../src/runtime/shared-cache.js";

/** Two coordinators with their own connections stand for two replicas of the app. Needs Redis on 127.0.0.1:6379 (CI has it). */
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `pmbot-test:${randomUUID()}:`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

let admin: Redis;
const opened: RedisCoordinator[] = [];

async function replica(options: Partial<RedisCoordinatorOptions> = {}): Promise<RedisCoordinator> {
  const coordinator = await createRedisCoordinator({
    redisUrl: REDIS_URL,
    prefix: PREFIX,
    lockTtlMs: 300,
    pollMinMs: 5,
    pollMaxMs: 30,
    ...options,
  });
  opened.push(coordinator);
  return coordinator;
}

async function keysUnderPrefix(): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await admin.scan(cursor, "MATCH", `${PREFIX}*`, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  return keys;
}

beforeAll(async () => {
  admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  const keys = await keysUnderPrefix();
  if (keys.length > 0) await admin.del(...keys);
  expect(await keysUnderPrefix()).toEqual([]);
  await admin.quit();
});

describe("Redis coordinator across two replicas", () => {
  it("is what createCoordinator returns for a Redis URL", async () => {
    const coordinator = await createCoordinator({ redisUrl: REDIS_URL, prefix: PREFIX });
    try {
      expect(coordinator.kind).toBe("redis");
      expect(await coordinator.generation("unused")).toBe(0);
    } finally {
      await coordinator.close();
    }
  });

  it("refuses on one replica a delivery the other claimed, and releases only its own claim", async () => {
    const [a, b] = [await replica(), await replica()];
    expect(await a.claimDelivery("delivery-1")).toBe(true);
    expect(await b.claimDelivery("delivery-1")).toBe(false);
    expect(await a.claimDelivery("delivery-1")).toBe(false);
    expect(await admin.get(`${PREFIX}delivery:delivery-1`)).toBe(a.replicaId);
    const pttl = await admin.pttl(`${PREFIX}delivery:delivery-1`);
    expect(pttl).toBeGreaterThan(24 * 60 * 60 * 1000 - 60_000);
    expect(pttl).toBeLessThanOrEqual(24 * 60 * 60 * 1000);

    // B never held it, so B's release leaves A's claim alone.
    await b.releaseDelivery("delivery-1");
    expect(await b.claimDelivery("delivery-1")).toBe(false);
    // A's handler failed: A gives it back and a redelivery to B is handled.
    await a.releaseDelivery("delivery-1");
    expect(await b.claimDelivery("delivery-1")).toBe(true);
    expect(a.stats()).toMatchObject({ deliveriesClaimed: 1, deliveriesDuplicate: 1, deliveriesReleased: 1 });
    expect(b.stats()).toMatchObject({ deliveriesClaimed: 1, deliveriesDuplicate: 2 });
  });

  it("never runs two tasks for one key at once, across replicas, and runs them all", async () => {
    const [a, b] = [await replica(), await replica()];
    const intervals: { task: number; replica: "a" | "b"; enter: number; exit: number; token: number }[] = [];
    const tasks = Array.from({ length: 50 }, (_, task) => {
      const side = task % 2 === 0 ? "a" : "b";
      return (side === "a" ? a : b).withLock("2:acme/web#1", async (lock) => {
        const enter = performance.now();
        await sleep(Math.random() * 6);
        await lock.assertHeld();
        intervals.push({ task, replica: side, enter, exit: performance.now(), token: lock.token });
        return task;
      });
    });
    const results = await Promise.all(tasks);

    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(intervals).toHaveLength(50);
    const byEnter = [...intervals].sort((x, y) => x.enter - y.enter);
    for (let i = 1; i < byEnter.length; i++) {
      expect(byEnter[i]!.enter).toBeGreaterThanOrEqual(byEnter[i - 1]!.exit);
      // Each acquisition fences off every earlier one.
      expect(byEnter[i]!.token).toBeGreaterThan(byEnter[i - 1]!.token);
    }
    // Within a replica, tasks for the key start in arrival order.
    for (const side of ["a", "b"] as const) {
      const order = byEnter.filter((x) => x.replica === side).map((x) => x.task);
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
    expect(a.stats().lockAcquisitions + b.stats().lockAcquisitions).toBe(50);
    expect(a.stats().lockWaits + b.stats().lockWaits).toBeGreaterThan(0);
    expect(a.stats().locksLost + b.stats().locksLost).toBe(0);
    expect(await admin.exists(`${PREFIX}lock:2:acme/web#1`)).toBe(0);
  });

  it("keeps a lock past its TTL while the task runs, by renewing it", async () => {
    const [a, b] = [await replica(), await replica()];
    const entered = deferred();
    let aExit = 0;
    const aRun = a.withLock("long", async (lock) => {
      entered.resolve();
      await sleep(900); // three TTLs
      await lock.assertHeld();
      aExit = performance.now();
      return "a";
    });
    await entered.promise;
    const bEnter = await b.withLock("long", async () => performance.now());
    expect(await aRun).toBe("a");
    expect(bEnter).toBeGreaterThanOrEqual(aExit);
    expect(a.stats().locksLost).toBe(0);
    expect(b.stats().lockWaits).toBe(1);
  });

  it("lets the lock of a dead replica expire; the next holder gets a higher token and the dead one is fenced off", async () => {
    const dead = await replica({ testHooks: { disableRenewal: true } });
    const live = await replica();
    const entered = deferred<LockHandle>();
    const wakeDead = deferred();
    const deadRun = dead.withLock("2:acme/web#9", async (lock) => {
      entered.resolve(lock);
      await wakeDead.promise;
      return "dead";
    });
    const deadLock = await entered.promise;
    await expect(deadLock.assertHeld()).resolves.toBeUndefined();

    const askedAt = performance.now();
    const outcome = await live.withLock("2:acme/web#9", async (lock) => {
      const waited = performance.now() - askedAt;
      expect(lock.token).toBeGreaterThan(deadLock.token);
      await expect(deadLock.assertHeld()).rejects.toBeInstanceOf(LockLostError);
      // The dead holder wakes up and finishes: its release must not free the live holder's lock.
      wakeDead.resolve();
      await expect(deadRun).rejects.toThrow(LockLostError);
      await expect(lock.assertHeld()).resolves.toBeUndefined();
      return { waited, token: lock.token };
    });
    expect(outcome.waited).toBeGreaterThanOrEqual(200);
    expect(outcome.waited).toBeLessThan(2_000);
    expect(dead.stats().locksLost).toBe(1);
    expect(live.stats()).toMatchObject({ lockWaits: 1, locksLost: 0 });
    expect(Number(await admin.get(`${PREFIX}fence:2:acme/web#9`))).toBe(outcome.token);
  });

  it("gives up waiting after the maximum wait with a clear error", async () => {
    const a = await replica();
    const b = await replica({ lockMaxWaitMs: 200 });
    const entered = deferred();
    const release = deferred();
    const aRun = a.withLock("busy", async () => {
      entered.resolve();
      await release.promise;
    });
    await entered.promise;
    const started = performance.now();
    const error = await b.withLock("busy", async () => "never").catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as LockTimeoutError).message).toMatch(/Timed out after \d+ ms waiting for the lock on "busy" \(held by .+\)/);
    expect((error as LockTimeoutError).holder?.startsWith(`${a.replicaId}:`)).toBe(true);
    expect(b.stats().lockTimeouts).toBe(1);
    release.resolve();
    await aRun;
    // The timed-out replica is not stuck: it takes the lock once free.
    expect(await b.withLock("busy", async () => "free")).toBe("free");
  });

  it("runs an exclusive job on exactly one of two replicas", async () => {
    const [a, b] = [await replica(), await replica()];
    let runs = 0;
    const job = async () => {
      runs++;
      await sleep(700); // past its 300 ms TTL: renewal keeps others out
      return "swept";
    };
    const first = a.runExclusive("sweep", 300, job);
    await sleep(50);
    const during = await Promise.all([b.runExclusive("sweep", 300, job), sleep(450).then(() => b.runExclusive("sweep", 300, job))]);
    expect(during).toEqual([null, null]);
    expect(await first).toBe("swept");
    expect(runs).toBe(1);
    expect(b.stats().exclusiveSkipped).toBe(2);
    // Released afterwards: the next run goes ahead.
    expect(await b.runExclusive("sweep", 300, async () => "again")).toBe("again");

    const both = await Promise.all([a.runExclusive("race", 1_000, job), b.runExclusive("race", 1_000, job)]);
    expect(both.filter((r) => r === "swept")).toHaveLength(1);
    expect(both.filter((r) => r === null)).toHaveLength(1);
  });

  it("shares generations and cache entries between replicas", async () => {
    const [a, b] = [await replica(), await replica()];
    expect(await b.generation("files:2:acme")).toBe(0);
    expect(await a.bumpGeneration("files:2:acme")).toBe(1);
    expect(await b.generation("files:2:acme")).toBe(1);
    expect(await b.bumpGeneration("files:2:acme")).toBe(2);
    expect(await a.generation("files:2:acme")).toBe(2);

    await a.cacheSet("status:2:acme/web#1", { id: 42, body: "hello" }, 10_000);
    expect(await b.cacheGet("status:2:acme/web#1")).toEqual({ id: 42, body: "hello" });
    await b.cacheDelete("status:2:acme/web#1");
    expect(await a.cacheGet("status:2:acme/web#1")).toBeUndefined();
    await a.cacheSet("short", "x", 100);
    expect(await b.cacheGet("short")).toBe("x");
    await sleep(200);
    expect(await b.cacheGet("short")).toBeUndefined();

    // A push seen by A drops B's locally cached setup too.
    const onA = new GenerationalCache<{ loadedBy: string }>(a, "setup");
    const onB = new GenerationalCache<{ loadedBy: string }>(b, "setup");
    let loads = 0;
    const load = (by: string) => async () => ({ loadedBy: `${by}${++loads}` });
    expect(await onB.get("2:acme", "web", load("b"))).toEqual({ loadedBy: "b1" });
    expect(await onB.get("2:acme", "web", load("b"))).toEqual({ loadedBy: "b1" });
    await onA.invalidate("2:acme");
    expect(await onB.get("2:acme", "web", load("b"))).toEqual({ loadedBy: "b2" });
  });

  it("refuses work once closed", async () => {
    const a = await replica();
    await a.close();
    await expect(a.claimDelivery("d")).rejects.toThrow(/closed/);
    await expect(a.withLock("k", async () => 1)).rejects.toBeInstanceOf(CoordinatorError);
  });
});

describe("Redis coordinator when Redis is unreachable", () => {
  it("fails fast with a clear error on a refused connection, without the password", async () => {
    const started = performance.now();
    const error = await createCoordinator({ redisUrl: "redis://bot:s3cret@127.0.0.1:1" }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(CoordinatorError);
    expect((error as Error).message).toMatch(/^Cannot connect to Redis at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain("s3cret");
  });

  it("fails a command with a clear error, not a hang, when Redis goes away after the start", async () => {
    // A TCP proxy in front of Redis, so the test can cut the connection.
    const target = new URL(REDIS_URL);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const port = (proxy.address() as { port: number }).port;
    const a = await replica({ redisUrl: `redis://127.0.0.1:${port}` });
    expect(await a.claimDelivery("before-outage")).toBe(true);

    await new Promise<void>((resolve) => {
      proxy.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    const started = performance.now();
    const error = await a.claimDelivery("during-outage").catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(CoordinatorError);
    expect((error as Error).message).toMatch(new RegExp(`^Redis claim delivery failed at redis://127\\.0\\.0\\.1:${port}: Redis is unreachable \\(.*ECONNREFUSED`));
  });

  describe("a server that accepts connections and never answers", () => {
    let server: Server;
    const sockets = new Set<Socket>();
    let port = 0;
    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("does not hang: the start fails after the connect timeout", async () => {
      const started = performance.now();
      const error = await createRedisCoordinator({ redisUrl: `redis://127.0.0.1:${port}`, connectTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(error).toBeInstanceOf(CoordinatorError);
      expect((error as Error).message).toBe(`Cannot connect to Redis at redis://127.0.0.1:${port}: no answer within 300 ms`);
    });
  });
});
