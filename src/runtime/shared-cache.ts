import { LRUCache } from "lru-cache";
import type { Coordinator } from "./coordination.js";

/**
 * A typed namespace in the coordinator's shared cache: what one replica
 * writes, every replica reads (for example the status comment last written
 * for an issue). Values go through JSON. Read and write it inside the issue's
 * lock, so the entry always matches the last write any replica made.
 */
export class SharedCache<T> {
  constructor(
    private readonly coordinator: Coordinator,
    private readonly namespace: string,
    private readonly ttlMs: number,
  ) {}

  get(key: string): Promise<T | undefined> {
    return this.coordinator.cacheGet<T>(this.#key(key));
  }

  set(key: string, value: T): Promise<void> {
    return this.coordinator.cacheSet(this.#key(key), value, this.ttlMs);
  }

  delete(key: string): Promise<void> {
    return this.coordinator.cacheDelete(this.#key(key));
  }

  #key(key: string): string {
    return `${this.namespace}:${key}`;
  }
}

/**
 * Values kept in this process (they need not be JSON: parsed config, forms)
 * under a generation shared by all replicas. `invalidate(scope)` on any
 * replica bumps the generation, so every replica's next `get` for that scope
 * misses and loads afresh. Costs one generation read per `get`.
 */
export class GenerationalCache<T extends NonNullable<unknown>> {
  readonly #values: LRUCache<string, T>;

  constructor(
    private readonly coordinator: Coordinator,
    private readonly namespace: string,
    options: { max?: number; ttlMs?: number } = {},
  ) {
    this.#values = new LRUCache<string, T>({ max: options.max ?? 5_000, ttl: options.ttlMs ?? 10 * 60 * 1000 });
  }

  /** The value for `key` within `scope` at the current generation, loaded once per generation and replica. */
  async get(scope: string, key: string, load: () => Promise<T>): Promise<T> {
    const generation = await this.coordinator.generation(this.#scopeKey(scope));
    const cacheKey = `${scope}\u0000${generation}\u0000${key}`;
    const hit = this.#values.get(cacheKey);
    if (hit !== undefined) return hit;
    const value = await load();
    this.#values.set(cacheKey, value);
    return value;
  }

  /** Drops every value of `scope`, on every replica. Returns the new generation. */
  invalidate(scope: string): Promise<number> {
    return this.coordinator.bumpGeneration(this.#scopeKey(scope));
  }

  #scopeKey(scope: string): string {
    return `${this.namespace}:${scope}`;
  }
}
