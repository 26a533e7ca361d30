import { LRUCache } from "lru-cache";
import type { Setup } from "../config/setup.js";
import type { LevelEvaluation } from "../postmortem/levels.js";
import { validatePostmortem, type Validation } from "../postmortem/validate.js";

interface Entry {
  setup: Setup;
  home: string;
  /** The evaluated level the result was computed with (its rules apply), or "". */
  evaluation: string;
  validation: Validation;
}

/**
 * Validations of bodies checked before. Most checks re-read a body that did not change: a label
 * added, a command, a follow-up closed, a title edited, a redelivery. An entry holds for one setup
 * object (one config and form generation: a push that changes them makes a new Setup, so the
 * entry is checked again) and one repository. A body's result depends on the clock only through
 * "in the future", so only results without that problem are kept. Results are shared: callers
 * treat them as read-only.
 */
export class ValidationCache {
  readonly #byBody: LRUCache<string, Entry>;

  /** Bounded by the body text held; the default, 32 M characters, is ~500 bodies at GitHub's 65,536-character limit. */
  constructor({ maxChars = 32 * 1024 * 1024 }: { maxChars?: number } = {}) {
    this.#byBody = new LRUCache<string, Entry>({ maxSize: maxChars, sizeCalculation: (_, body) => Math.max(1, body.length) });
  }

  validate(body: string, setup: Setup, now: Date, home: { owner: string; repo: string }, evaluation: LevelEvaluation | null = null): Validation {
    const where = `${home.owner}/${home.repo}`.toLowerCase();
    const evaluated = evaluation ? JSON.stringify(evaluation) : "";
    const hit = this.#byBody.get(body);
    if (hit && hit.setup === setup && hit.home === where && hit.evaluation === evaluated) return hit.validation;
    const validation = validatePostmortem({ body, form: setup.form, config: setup.config, now, home, evaluation });
    if (!validation.problems.some((problem) => problem.code === "timestamp-future")) this.#byBody.set(body, { setup, home: where, evaluation: evaluated, validation });
    return validation;
  }
}
