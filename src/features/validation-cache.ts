import { LRUCache } from "lru-cache";
import type { Setup } from "../config/setup.js";
import { validatePostmortem, type Validation } from "../postmortem/validate.js";

interface Entry {
  home: string;
  validation: Validation;
}

/**
 * Validations of bodies checked before, per setup (one config and form generation: a push that
 * changes them makes a new Setup object, so old entries are never consulted again). Most checks
 * re-read a body that did not change: a label added, a command, a follow-up closed, a title
 * edited, a redelivery. A body's result depends on the clock only through "in the future", so
 * only results without that problem are kept; they hold for as long as the body and setup do.
 * Results are shared: callers treat them as read-only.
 */
export class ValidationCache {
  readonly #bySetup = new WeakMap<Setup, LRUCache<string, Entry>>();

  validate(body: string, setup: Setup, now: Date, home: { owner: string; repo: string }): Validation {
    let bodies = this.#bySetup.get(setup);
    if (!bodies) {
      // Bounded by text held: at GitHub's 65,536-character limit, still ~250 bodies per setup.
      bodies = new LRUCache<string, Entry>({ maxSize: 16 * 1024 * 1024, sizeCalculation: (_, key) => Math.max(1, key.length) });
      this.#bySetup.set(setup, bodies);
    }
    const where = `${home.owner}/${home.repo}`.toLowerCase();
    const hit = bodies.get(body);
    if (hit && hit.home === where) return hit.validation;
    const validation = validatePostmortem({ body, form: setup.form, config: setup.config, now, home });
    if (!validation.problems.some((problem) => problem.code === "timestamp-future")) bodies.set(body, { home: where, validation });
    return validation;
  }
}
