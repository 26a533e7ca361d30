import fc from "fast-check";
import type { ListItem } from "mdast";
import { toString } from "mdast-util-to-string";
import { describe, expect, it } from "vitest";
import { parseGfm, simpleTaskList } from "../../src/form/markdown.js";
import { runs } from "../helpers/fuzz.js";

/** The oracle: task items as mdast sees them, in order. */
function mdastTasks(text: string): { checked: boolean; content: string; start: number }[] {
  const tree = parseGfm(text);
  const out: { checked: boolean; content: string; start: number }[] = [];
  for (const node of tree.children) {
    if (node.type !== "list") continue;
    for (const item of node.children as ListItem[]) {
      if (typeof item.checked === "boolean") out.push({ checked: item.checked, content: toString(item).replace(/\s+/g, " ").trim(), start: item.position!.start.offset! });
    }
  }
  return out;
}

describe("simpleTaskList (the fast path)", () => {
  it("agrees with mdast wherever it answers", () => {
    const word = fc.oneof(
      fc.constantFrom("fix", "the", "pool", "owner:", "backend", "type:", "detect", "due:", "2026-12-15", "acme/infra#12", "#3", "—", "https://github.com/a/b/issues/1", "@alice", "x", "[x]", "*", "_", "`", "<b>", "&amp;", "|", "~~", "\\"),
      fc.string({ unit: fc.constantFrom("a", " ", "-", ":", "#", "*", "[", "]"), maxLength: 6 }),
    );
    const line = fc.oneof(
      fc.tuple(fc.constantFrom("- ", "* ", "+ ", "-  ", "1. "), fc.constantFrom("[ ] ", "[x] ", "[X] ", "[]", "[ ]"), fc.array(word, { minLength: 1, maxLength: 6 })).map(([m, b, ws]) => `${m}${b}${ws.join(" ")}`),
      fc.constantFrom("", "  continued", "plain text", "| a | b |", "> quote"),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom("\n", "\r\n"), (lines, eol) => {
        const text = lines.join(eol);
        const fast = simpleTaskList(text);
        if (fast === null) return true;
        expect(fast.map((t) => ({ checked: t.checked, content: t.content.replace(/\s+/g, " "), start: t.start }))).toEqual(mdastTasks(text));
        for (const t of fast) expect(text[t.box]).toMatch(/[ xX]/);
        return true;
      }),
      { numRuns: runs(5000) },
    );
  });

  it("answers for GitHub-rendered checkboxes and plain action items, and declines the rest", () => {
    expect(simpleTaskList("- [X] I agree\n- [ ] Maybe")?.map((t) => [t.checked, t.content])).toEqual([
      [true, "I agree"],
      [false, "Maybe"],
    ]);
    expect(simpleTaskList("- [ ] Fix the pool owner: backend acme/infra#12")).not.toBeNull();
    expect(simpleTaskList("- [ ] Read the [docs](x)")).toBeNull();
    expect(simpleTaskList("- [ ] one\n  continued")).toBeNull();
    expect(simpleTaskList("- [ ] one\n* [ ] other list")).toBeNull();
    expect(simpleTaskList("")).toBeNull();
  });
});
