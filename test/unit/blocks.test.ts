import fc from "fast-check";
import { fromMarkdown } from "mdast-util-from-markdown";
import { describe, expect, it } from "vitest";
import { outline } from "../../src/form/blocks.js";
import { runs } from "../helpers/fuzz.js";

/** The oracle: top-level headings as mdast (micromark) sees them, by depth and line. */
function mdastHeadings(source: string): { depth: number; line: number }[] {
  return fromMarkdown(source)
    .children.filter((node) => node.type === "heading")
    .map((node) => ({ depth: node.depth, line: node.position!.start.line }));
}

function lineOf(source: string, offset: number): number {
  return source.slice(0, offset).split(/\r\n|\r|\n/).length;
}

/** Lines that exercise the constructs deciding whether `###` starts a heading. */
const leafLines = [
  "### Summary",
  "###Summary",
  "  ### Indented heading",
  "    ### Indented code",
  "### Closed ###",
  "### Trailing hashes#",
  "###",
  "#### Deeper",
  "```",
  "```js",
  "~~~",
  "````",
  "  ```",
  "```` inner",
  "<details>",
  "<pre>",
  "</pre>",
  "<!-- note",
  "-->",
  "<div class=\"x\">",
  "<custom-tag>",
  "",
  "  ",
  "Plain paragraph text",
  "***",
  "---",
  "===",
  "_No response_",
];
// Known divergence: micromark reads an empty list item (`-` alone) differently after some blocks
// (after indented code it is a paragraph), so the generator writes list items with content.
const containerLines = ["- list item", "- [x] ticked", "> ### quoted heading", "> quoted text", "1. ordered", "2) second", "   - nested"];
// Known divergence: an HTML tag line that follows a list item or quote lazily (e.g. "- x\n</pre>\na")
// is read differently by micromark; tag lines are left out of the container property for that reason.
const htmlTagLines = new Set(["</pre>", "<custom-tag>", "<details>", "<div class=\"x\">"]);
const noise = fc.string({ unit: fc.constantFrom("#", " ", "`", "~", "a", "<", ">", "-", "!"), maxLength: 8 });

function sameHeadings(lines: string[], eol: string): void {
  const source = lines.join(eol);
  const expected = mdastHeadings(source).filter((h) => h.depth === 3);
  const actual = outline(source).headings.filter((h) => h.depth === 3).map(({ depth, start }) => ({ depth, line: lineOf(source, start) }));
  expect(actual).toEqual(expected);
}

describe("outline (block scanner)", () => {
  it("finds the same top-level headings as mdast on generated bodies of fences, HTML and paragraphs", () => {
    const line = fc.oneof(fc.constantFrom(...leafLines), noise.filter((l) => !/^\s{0,3}([-+*>]|\d)/.test(l)));
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom("\n", "\r\n"), sameHeadings), { numRuns: runs(3000) });
  });

  it("finds the same top-level headings as mdast with lists and block quotes", () => {
    const line = fc.oneof(fc.constantFrom(...leafLines.filter((l) => !htmlTagLines.has(l)), ...containerLines), noise.filter((l) => !l.includes("<") && !/^\s*([-+*]|\d+[.)])\s*$/.test(l)));
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom("\n", "\r\n"), sameHeadings), { numRuns: runs(3000) });
  });

  it("does not treat ### inside a fence as a heading, and reports the fence", () => {
    const source = "### A\n\n```\n### not a heading\n```\n\n### B\n";
    const result = outline(source);
    expect(result.headings.map((h) => h.text)).toEqual(["A", "B"]);
    expect(result.fences).toHaveLength(1);
    expect(source.slice(result.fences[0]!.contentStart, result.fences[0]!.contentEnd)).toBe("### not a heading\n");
  });

  it("leaves an unterminated fence open to the end of the body", () => {
    const result = outline("### A\n```\n### B\n### C");
    expect(result.headings.map((h) => h.text)).toEqual(["A"]);
    expect(result.fences[0]!.closed).toBe(false);
  });

  it("reads 65,536 characters of adversarial input in one pass", () => {
    const cases = ["`".repeat(65_536), "#".repeat(65_536), "### " + " #".repeat(32_000), "<a" + " b".repeat(32_000), "```\n".repeat(16_384)];
    for (const source of cases) expect(() => outline(source)).not.toThrow();
    // Linear: 10k headings come back as 10k headings.
    const many = "### h\n".repeat(10_000);
    expect(outline(many).headings).toHaveLength(10_000);
  });
});
