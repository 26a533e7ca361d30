import { describe, expect, it } from "vitest";
import { defaultForm } from "../../src/config/setup.js";
import { ValidationCache } from "../../src/runtime/validation-cache.js";
import { body, configFixture, FIXTURE_NOW } from "../helpers/fixtures.js";

const config = configFixture("configs/teams.yml");
const home = { owner: "acme", repo: "incidents" };
const setup = () => ({ config, form: defaultForm(), sources: [] });

describe("the validation cache", () => {
  it("checks an unchanged body once per setup, and again for another setup, body or repository", () => {
    const cache = new ValidationCache();
    const current = setup();
    const first = cache.validate(body("complete"), current, FIXTURE_NOW, home);
    expect(first.valid).toBe(true);
    // Equal text, another string object: still a hit.
    expect(cache.validate(`${body("complete")}`, current, FIXTURE_NOW, home)).toBe(first);
    // A push made a new setup generation: checked again.
    expect(cache.validate(body("complete"), setup(), FIXTURE_NOW, home)).not.toBe(first);
    // `#12` and `@user` resolve against the repository: checked again.
    expect(cache.validate(body("complete"), current, FIXTURE_NOW, { owner: "acme", repo: "other" })).not.toBe(first);
    const edited = cache.validate(body("incomplete"), current, FIXTURE_NOW, home);
    expect(edited.valid).toBe(false);
    expect(cache.validate(body("incomplete"), current, FIXTURE_NOW, home)).toBe(edited);
  });

  it("is bounded by the text it holds, dropping the least recently used body", () => {
    const complete = body("complete");
    const cache = new ValidationCache({ maxChars: complete.length * 2 + 10 });
    const current = setup();
    const first = cache.validate(complete, current, FIXTURE_NOW, home);
    const second = cache.validate(`${complete}\n`, current, FIXTURE_NOW, home);
    expect(cache.validate(complete, current, FIXTURE_NOW, home)).toBe(first);
    // A third body does not fit beside two: the least recently used (the second) goes.
    cache.validate(`${complete}\n\n`, current, FIXTURE_NOW, home);
    expect(cache.validate(complete, current, FIXTURE_NOW, home)).toBe(first);
    expect(cache.validate(`${complete}\n`, current, FIXTURE_NOW, home)).not.toBe(second);
  });

  it("does not keep a result that says a time is in the future: it changes as the clock passes it", () => {
    const cache = new ValidationCache();
    const current = setup();
    const before = new Date("2026-11-20T00:00:00Z");
    const early = cache.validate(body("complete"), current, before, home);
    expect(early.problems.map((p) => p.code)).toContain("timestamp-future");
    expect(cache.validate(body("complete"), current, before, home)).not.toBe(early);
    const later = cache.validate(body("complete"), current, FIXTURE_NOW, home);
    expect(later.valid).toBe(true);
  });
});
