import { LRUCache } from "lru-cache";

/**
 * Remembers delivery ids so a redelivered webhook is handled once. A delivery
 * whose handling failed is forgotten again, so GitHub's redelivery can retry it.
 */
export class DeliveryLog {
  readonly #seen: LRUCache<string, true>;

  constructor(max = 10_000, ttlMs = 24 * 60 * 60 * 1000) {
    this.#seen = new LRUCache({ max, ttl: ttlMs });
  }

  /** True when this delivery is new and now claimed. */
  claim(id: string): boolean {
    if (this.#seen.has(id)) return false;
    this.#seen.set(id, true);
    return true;
  }

  release(id: string): void {
    this.#seen.delete(id);
  }
}
