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

  it("answers a 2,000-line action-items field with one problem per item and a comment under GitHub's limit", () => {
    const lines = Array.from({ length: 2_000 }, (_, i) => (i % 4 === 3 ? `   and continued ${i}` : `${i % 2 ? "-" : `${i}.`} Fix thing ${i}${i % 8 === 0 ? " #12" : ""}`));
    const body = `### Action items\n\n${lines.join("\n")}`;
    const validation = validatePostmortem({ body, form: defaultForm(), config: defaultConfig, now: new Date() });
    const items = validation.problems.filter((p) => p.field === "action-items");
    // 1,500 item lines (every fourth line continues the one before); one in four of them is tracked (#12), the rest need an owner.
    expect(validation.actionItems).toHaveLength(1_500);
    expect(items.map((p) => p.code)).toEqual(Array(1_500 - 250).fill("action-item-owner-missing"));
    const comment = renderStatusComment({ status: "incomplete", problems: validation.problems, metrics: validation.metrics, zone: "UTC" }, { v: 1, status: "incomplete" });
    expect(comment.length).toBeLessThan(65_536);
  });

  it("answers a garbage date with the accepted formats, however long it is", () => {
    for (const garbage of ["😀".repeat(30_000), "2026/".repeat(10_000), "１".repeat(20_000), "2026-11-20 14:03 " + "(".repeat(5_000)]) {
      const validation = validatePostmortem({ body: `### Impact started\n\n${garbage}`, form: defaultForm(), config: defaultConfig, now: new Date() });
      const [problem] = validation.problems.filter((p) => p.field === "impact-started");
      expect(problem?.code).toBe("timestamp-format");
      expect(problem?.message).toContain("`2026/11/20 14:03 (Asia/Tokyo)`");
      expect(problem!.message.length).toBeLessThan(1_000);
    }
  });
});
