/**
 * Serializes work per key (one issue at a time) inside one process. Tasks for
 * different keys run concurrently; tasks for the same key run in arrival order.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.#tails.size;
  }
}
