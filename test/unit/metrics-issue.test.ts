import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { defaultForm, type SetupResult } from "../../src/config/setup.js";
import { Debouncer, metricsRepoOf, RowCache, type DebounceClock } from "../../src/features/metrics-issue.js";
import { evaluatePostmortem, type PostmortemIssue } from "../../src/postmortem/aggregate.js";
import { generatePostmortems, postmortemBody } from "../helpers/postmortems.js";

/** A clock whose timers run only when the test advances it. */
class FakeClock implements DebounceClock {
  now = 0;
  #timers: { id: number; at: number; callback: () => void }[] = [];
  #next = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.push({ id, at: this.now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }
  get timers(): number {
    return this.#timers.length;
  }
  advance(ms: number): void {
    this.now += ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= this.now).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.#timers = this.#timers.filter((t) => t !== due);
      due.callback();
    }
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("Debouncer", () => {
  it("turns a burst within 10 s into one run with the newest arguments", async () => {
    const clock = new FakeClock();
    const runs: string[] = [];
    const debouncer = new Debouncer<string>(async (args) => void runs.push(args), { clock });
    debouncer.schedule("7:acme/incidents", "opened");
    clock.advance(3_000);
    debouncer.schedule("7:acme/incidents", "edited");
    clock.advance(5_000);
    debouncer.schedule("7:acme/incidents", "closed");
    expect(clock.timers).toBe(1);
    clock.advance(1_999);
    await tick();
    expect(runs).toEqual([]);
    clock.advance(1);
    await debouncer.idle();
    expect(runs).toEqual(["closed"]);
    expect(debouncer.runs).toBe(1);
    // The next event after the window starts a new one.
    debouncer.schedule("7:acme/incidents", "reopened");
    clock.advance(10_000);
    await debouncer.idle();
    expect(runs).toEqual(["closed", "reopened"]);
  });

  it("keeps one timer per installation and repository", async () => {
    const clock = new FakeClock();
    const runs: string[] = [];
    const debouncer = new Debouncer<string>(async (args, key) => void runs.push(`${key}=${args}`), { clock });
    debouncer.schedule("7:acme/a", "1");
    debouncer.schedule("7:acme/b", "2");
    debouncer.schedule("8:acme/a", "3");
    debouncer.schedule("7:acme/a", "4");
    expect(debouncer.pending).toBe(3);
    clock.advance(10_000);
    await debouncer.idle();
    expect(runs.sort()).toEqual(["7:acme/a=4", "7:acme/b=2", "8:acme/a=3"]);
  });

  it("never overlaps runs for one key: an event during a run makes one more run after it", async () => {
    const clock = new FakeClock();
    let active = 0;
    let maxActive = 0;
    const release: (() => void)[] = [];
    const runs: string[] = [];
    const debouncer = new Debouncer<string>(
      async (args) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((resolve) => release.push(resolve));
        runs.push(args);
        active--;
      },
      { clock, delayMs: 100 },
    );
    debouncer.schedule("k", "first");
    clock.advance(100);
    await tick();
    expect(release).toHaveLength(1);
    debouncer.schedule("k", "second");
    debouncer.schedule("k", "third");
    clock.advance(100);
    await tick();
    expect(release).toHaveLength(1); // waits for the first run
    release[0]!();
    await tick();
    await tick();
    expect(release).toHaveLength(2);
    release[1]!();
    await debouncer.idle();
    expect(runs).toEqual(["first", "third"]);
    expect(maxActive).toBe(1);
  });

  it("flush runs what is waiting now; a failed run is reported and later runs go on", async () => {
    const clock = new FakeClock();
    const errors: string[] = [];
    let calls = 0;
    const debouncer = new Debouncer<string>(
      async () => {
        calls++;
        if (calls === 1) throw new Error("GitHub 502");
      },
      { clock, onError: (error, key) => errors.push(`${key}: ${(error as Error).message}`) },
    );
    debouncer.schedule("k", "a");
    await debouncer.flush();
    expect(errors).toEqual(["k: GitHub 502"]);
    expect(clock.timers).toBe(0);
    debouncer.schedule("k", "b");
    await debouncer.flush();
    expect(calls).toBe(2);
    debouncer.schedule("k", "c");
    debouncer.cancel();
    clock.advance(60_000);
    await debouncer.idle();
    expect(calls).toBe(2);
  });
});

describe("RowCache", () => {
  const setup: SetupResult = { ok: true, setup: { config: configSchema.parse({}), form: defaultForm(), sources: [] } };
  const now = new Date("2026-11-27T00:00:00Z");
  const [g] = generatePostmortems({ repos: ["acme/a"], count: 1, now, seed: 1, spanDays: 30, defectEvery: 0 });
  const pm: PostmortemIssue = { repo: "acme/a", number: 1, title: g!.title, url: "u", body: g!.body, state: "open", createdAt: g!.createdAt, labels: [] };

  it("re-checks a postmortem only when its body or setup changes", () => {
    const cache = new RowCache();
    const first = cache.evaluate(pm, setup, now);
    expect(first).toEqual(evaluatePostmortem(pm, setup, now));
    expect(cache.evaluate({ ...pm, title: "renamed", state: "closed" }, setup, now)).toEqual({ ...first, title: "renamed", state: "closed" });
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
    cache.evaluate({ ...pm, body: `${pm.body} ` }, setup, now);
    const detected: SetupResult = { ok: true, setup: { ...setup.setup, config: configSchema.parse({ metrics: { ttr_from: "detected" } }) } };
    expect(cache.evaluate(pm, detected, now).ttrFrom).toBe("detected");
    expect([cache.hits, cache.misses]).toEqual([1, 3]);
  });

  it("never keeps a result that depends on the clock (a timestamp in the future)", () => {
    const cache = new RowCache();
    const future = { ...pm, body: postmortemBody({ severity: "SEV2", started: "2026-11-20T10:00Z", detected: "2026-11-20T10:05Z", mitigated: null, recovered: "2026-12-01T10:00Z" }) };
    expect(cache.evaluate(future, setup, now).problems).toEqual(["timestamp-future"]);
    expect(cache.evaluate(future, setup, new Date("2026-12-02T00:00:00Z")).problems).toEqual([]);
    expect(cache.misses).toBe(2);
  });
});

describe("metricsRepoOf", () => {
  it("is metrics.repo when set, else the repository itself", () => {
    expect(metricsRepoOf({ owner: "acme", repo: "a" }, configSchema.parse({}))).toEqual({ owner: "acme", repo: "a" });
    expect(metricsRepoOf({ owner: "acme", repo: "a" }, configSchema.parse({ metrics: { repo: "acme/sre" } }))).toEqual({ owner: "acme", repo: "sre" });
  });
});
