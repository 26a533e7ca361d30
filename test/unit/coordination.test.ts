import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import {
  CoordinatorError,
  createCoordinator,
  createMemoryCoordinator,
  LockLostError,
  type CoordinatorLog,
  type LockHandle,
} from "../../src/runtime/coordination.js";
import { GenerationalCache, SharedCache } from "../../src/runtime/shared-cache.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Probot's logger must be usable as the coordinator's log (checked by tsc). */
export const _probotLogFits = (app: Probot): CoordinatorLog => app.log;

describe("createCoordinator", () => {
  it("is in memory when no Redis URL is given", async () => {
    for (const redisUrl of [undefined, "", "  "]) {
      const coordinator = await createCoordinator({ redisUrl });
      expect(coordinator.kind).toBe("memory");
      await coordinator.close();
    }
  });
});

describe("memory coordinator: deliveries", () => {
  it("claims a delivery once, and again after a release", async () => {
    const c = createMemoryCoordinator();
    expect(await c.claimDelivery("d-1")).toBe(true);
    expect(await c.claimDelivery("d-1")).toBe(false);
    expect(await c.claimDelivery("d-2")).toBe(true);
    await c.releaseDelivery("d-1");
    expect(await c.claimDelivery("d-1")).toBe(true);
    expect(c.stats()).toMatchObject({ deliveriesClaimed: 3, deliveriesDuplicate: 1, deliveriesReleased: 1 });
  });

  it("forgets a delivery after its TTL", async () => {
    const c = createMemoryCoordinator({ deliveryTtlMs: 30 });
    expect(await c.claimDelivery("d")).toBe(true);
    expect(await c.claimDelivery("d")).toBe(false);
    await sleep(60);
    expect(await c.claimDelivery("d")).toBe(true);
  });
});

describe("memory coordinator: withLock", () => {
  it("runs tasks for one key one at a time, in arrival order", async () => {
    const c = createMemoryCoordinator();
    let active = 0;
    let maxActive = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        c.withLock("issue-1", async () => {
          active++;
          maxActive = Math.max(maxActive, active);
          started.push(i);
          await sleep(Math.random() * 5);
          active--;
          return i * 2;
        }),
      ),
    );
    expect(maxActive).toBe(1);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(c.stats()).toMatchObject({ lockAcquisitions: 20, lockQueued: 19, lockWaits: 0 });
  });

  it("runs tasks for different keys concurrently", async () => {
    const c = createMemoryCoordinator();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = c.withLock("a", () => gate.then(() => "a"));
    // Would deadlock if "b" waited for "a".
    const second = await c.withLock("b", async () => "b");
    release();
    expect([await first, second]).toEqual(["a", "b"]);
  });

  it("hands out increasing fencing tokens, held only while the task runs", async () => {
    const c = createMemoryCoordinator();
    const handles: LockHandle[] = [];
    for (let i = 0; i < 3; i++) {
      await c.withLock("k", async (lock) => {
        await expect(lock.assertHeld()).resolves.toBeUndefined();
        handles.push(lock);
      });
    }
    const tokens = handles.map((h) => h.token);
    expect(tokens[0]).toBeGreaterThan(0);
    expect(tokens[1]).toBeGreaterThan(tokens[0]!);
    expect(tokens[2]).toBeGreaterThan(tokens[1]!);
    await expect(handles[0]!.assertHeld()).rejects.toBeInstanceOf(LockLostError);
  });

  it("passes a task's error on and lets the next task run", async () => {
    const c = createMemoryCoordinator();
    const failing = c.withLock("k", async () => {
      throw new Error("boom");
    });
    const next = c.withLock("k", async () => "ran");
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("ran");
  });
});

describe("memory coordinator: cache", () => {
  it("stores JSON copies that expire after their TTL", async () => {
    const c = createMemoryCoordinator();
    const value = { id: 7, body: "text", at: new Date("2026-01-02T03:04:05Z") };
    await c.cacheSet("comment", value, 40);
    const read = await c.cacheGet<{ id: number; body: string; at: string }>("comment");
    expect(read).toEqual({ id: 7, body: "text", at: "2026-01-02T03:04:05.000Z" });
    read!.body = "changed";
    expect((await c.cacheGet<{ body: string }>("comment"))?.body).toBe("text");
    await sleep(80);
    expect(await c.cacheGet("comment")).toBeUndefined();
  });

  it("deletes, and refuses values JSON cannot hold and bad TTLs", async () => {
    const c = createMemoryCoordinator();
    await c.cacheSet("k", [1, 2], 10_000);
    expect(await c.cacheGet("k")).toEqual([1, 2]);
    await c.cacheDelete("k");
    expect(await c.cacheGet("k")).toBeUndefined();
    await expect(c.cacheSet("k", undefined, 1000)).rejects.toBeInstanceOf(TypeError);
    await expect(c.cacheSet("k", 1, 0)).rejects.toBeInstanceOf(RangeError);
    await expect(c.cacheSet("k", 1, Number.NaN)).rejects.toBeInstanceOf(RangeError);
    expect(await c.cacheGet("k")).toBeUndefined();
  });

  it("stays within its size bound", async () => {
    const c = createMemoryCoordinator({ cacheMaxChars: 1_000 });
    for (let i = 0; i < 20; i++) await c.cacheSet(`k${i}`, "x".repeat(200), 10_000);
    const kept = (await Promise.all(Array.from({ length: 20 }, (_, i) => c.cacheGet(`k${i}`)))).filter((v) => v !== undefined);
    expect(kept.length).toBeLessThanOrEqual(4);
    expect(await c.cacheGet("k19")).toBe("x".repeat(200));
  });
});

describe("memory coordinator: generations", () => {
  it("starts at 0 and counts up per key", async () => {
    const c = createMemoryCoordinator();
    expect(await c.generation("files:1:acme")).toBe(0);
    expect(await c.bumpGeneration("files:1:acme")).toBe(1);
    expect(await c.bumpGeneration("files:1:acme")).toBe(2);
    expect(await c.generation("files:1:acme")).toBe(2);
    expect(await c.generation("files:1:other")).toBe(0);
  });
});

describe("memory coordinator: runExclusive", () => {
  it("runs one holder of a name at a time and frees the name afterwards, even on error", async () => {
    const c = createMemoryCoordinator();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = c.runExclusive("sweep", 1_000, () => gate.then(() => "first"));
    expect(await c.runExclusive("sweep", 1_000, async () => "second")).toBeNull();
    expect(await c.runExclusive("other", 1_000, async () => "other")).toBe("other");
    release();
    expect(await first).toBe("first");
    await expect(
      c.runExclusive("sweep", 1_000, async () => {
        throw new Error("sweep failed");
      }),
    ).rejects.toThrow("sweep failed");
    expect(await c.runExclusive("sweep", 1_000, async () => "third")).toBe("third");
    expect(c.stats().exclusiveSkipped).toBe(1);
  });
});

describe("memory coordinator: close", () => {
  it("refuses work once closed", async () => {
    const c = createMemoryCoordinator();
    await c.close();
    await expect(c.claimDelivery("d")).rejects.toBeInstanceOf(CoordinatorError);
    await expect(c.withLock("k", async () => 1)).rejects.toThrow("closed");
  });
});

describe("shared caches over the memory coordinator", () => {
  it("SharedCache namespaces keys and round-trips values", async () => {
    const c = createMemoryCoordinator();
    const comments = new SharedCache<{ id: number; body: string }>(c, "status", 60_000);
    await comments.set("2:acme/web#5", { id: 11, body: "b" });
    expect(await comments.get("2:acme/web#5")).toEqual({ id: 11, body: "b" });
    expect(await c.cacheGet("status:2:acme/web#5")).toEqual({ id: 11, body: "b" });
    await comments.delete("2:acme/web#5");
    expect(await comments.get("2:acme/web#5")).toBeUndefined();
  });

  it("GenerationalCache loads once per generation of a scope", async () => {
    const c = createMemoryCoordinator();
    const setups = new GenerationalCache<{ loaded: number }>(c, "setup");
    let loads = 0;
    const load = async () => ({ loaded: ++loads });
    expect(await setups.get("2:acme", "web", load)).toEqual({ loaded: 1 });
    expect(await setups.get("2:acme", "web", load)).toEqual({ loaded: 1 });
    expect(await setups.get("2:other", "web", load)).toEqual({ loaded: 2 });
    expect(await setups.invalidate("2:acme")).toBe(1);
    expect(await setups.get("2:acme", "web", load)).toEqual({ loaded: 3 });
    expect(await setups.get("2:other", "web", load)).toEqual({ loaded: 2 });
  });
});
