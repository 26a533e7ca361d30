import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/schema.js";
import { defaultForm } from "../../src/config/setup.js";
import { renderStatusComment } from "../../src/postmortem/status.js";
import { validatePostmortem } from "../../src/postmortem/validate.js";

/** Bodies up to GitHub's limit built to hurt a parser: each gets a clear finding, not a crash. */
const hostile: Record<string, string> = {
  "a line of 10,000 `>`": ">".repeat(10_000),
  "quotes nested 40 deep": Array.from({ length: 800 }, (_, i) => "> ".repeat(i % 40) + "x").join("\n"),
  "lists nested 60 deep": Array.from({ length: 500 }, (_, i) => " ".repeat((i % 60) * 2) + "- [ ] a").join("\n"),
  "an unterminated fence": "```\n" + "### Summary\n".repeat(3_000),
  "a giant table": "| a | b |\n| - | - |\n" + "| x | y |\n".repeat(5_000),
  "10k headings": "### h\n".repeat(10_000),
};

describe("hostile bodies", () => {
  for (const [name, text] of Object.entries(hostile)) {
    it(`survives ${name} in every field, with a comment under GitHub's limit`, () => {
      const body = defaultForm()
        .fields.map((f) => `### ${f.label}\n\n${text}`)
        .join("\n\n")
        .slice(0, 65_536);
      const validation = validatePostmortem({ body, form: defaultForm(), config: defaultConfig, now: new Date() });
      expect(validation.valid).toBe(false);
      const comment = renderStatusComment({ status: "incomplete", problems: validation.problems, metrics: validation.metrics, zone: "UTC" }, { v: 1, status: "incomplete" });
      expect(comment.length).toBeLessThan(65_536);
      expect(comment.split("\n").filter((l) => l.startsWith("- ")).length).toBeLessThanOrEqual(51);
    });
  }

  it("reads a dropdown answer of thousands of bad choices in one problem", () => {
    const body = `### Severity\n\n${Array(3_000).fill("x").join(", ")}`;
    const validation = validatePostmortem({ body, form: defaultForm(), config: defaultConfig, now: new Date() });
    expect(validation.problems.filter((p) => p.field === "severity").map((p) => p.code)).toEqual(["invalid-option", "too-many-choices"]);
  });
});
