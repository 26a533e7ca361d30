import type { Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toString } from "mdast-util-to-string";
import { gfm } from "micromark-extension-gfm";

// Built once: constructing the GFM extensions took a quarter of a parse in profiles.
const extensions = [gfm()];
const mdastExtensions = [gfmFromMarkdown()];

/** GitHub-flavoured markdown (task lists, tables) to mdast. */
export function parseGfm(text: string): Root {
  return fromMarkdown(text, { extensions, mdastExtensions });
}

const plainCache = new Map<string, string>();

/** Markdown reduced to its words, one line: how checkbox labels compare. Memoized (labels repeat on every body). */
export function plainText(markdown: string): string {
  let plain = plainCache.get(markdown);
  if (plain === undefined) {
    plain = toString(fromMarkdown(markdown)).replace(/\s+/g, " ").trim();
    if (plainCache.size >= 5_000) plainCache.clear();
    plainCache.set(markdown, plain);
  }
  return plain;
}

/** One line of a simple task list: `- [ ] text` / `- [x] text`. */
export interface TaskLine {
  /** Offset of the line in the text, and of its end (before the line ending). */
  start: number;
  end: number;
  /** Offset of the box's inner character (` ` or `x`). */
  box: number;
  checked: boolean;
  /** The text after the box, trimmed. */
  content: string;
}

const TASK_LINE = /^([-*+]) \[([ xX])\] (\S.*)$/;

/**
 * The fast path for the answers GitHub renders and people mostly write: a
 * list whose every line is a one-line task item with plain text. Returns null
 * when anything else appears (continuations, nesting, emphasis, links, HTML,
 * tables), so the caller parses with mdast instead; a property test checks that
 * both agree wherever this answers.
 */
export function simpleTaskList(text: string): TaskLine[] | null {
  const items: TaskLine[] = [];
  let marker: string | null = null;
  for (const { line, start, end } of linesOf(text)) {
    if (line.trim() === "") continue;
    const match = TASK_LINE.exec(line);
    // Anything markdown could read differently (emphasis, code, links, HTML, entities) goes the slow way.
    if (!match || /[\\`*_[\]<>&|~]/.test(match[3]!)) return null;
    if (marker !== null && match[1] !== marker) return null;
    marker = match[1]!;
    items.push({ start, end, box: start + 3, checked: match[2] !== " ", content: match[3]!.trim() });
  }
  return items.length > 0 ? items : null;
}

/** Each line of `text` with its offsets; `end` is before the line break (LF or CRLF). */
export function* linesOf(text: string): Generator<{ line: string; start: number; end: number }> {
  let start = 0;
  while (start <= text.length) {
    let lf = text.indexOf("\n", start);
    if (lf < 0) lf = text.length;
    const end = text[lf - 1] === "\r" ? lf - 1 : lf;
    yield { line: text.slice(start, end), start, end };
    start = lf + 1;
  }
}

/**
 * Text that micromark reads in superlinear time (deep nesting of quotes or
 * lists, very long answers): the caller reads it line by line instead, so a
 * hostile body cannot stall the event loop.
 */
export function tooHardForMarkdown(text: string): boolean {
  if (text.length > 20_000) return true;
  return /^[ \t>*+\-\d.)]{32,}/m.test(text);
}

/** The lenient line reader for such text: every line that looks like a task item, with its offsets. */
export function taskLines(text: string): { items: TaskLine[]; others: { line: number; text: string }[] } {
  const items: TaskLine[] = [];
  const others: { line: number; text: string }[] = [];
  let start = 0;
  let number = 1;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const lineEnd = text[end - 1] === "\r" ? end - 1 : end;
    const line = text.slice(start, lineEnd);
    const match = /^(\s*[-*+] \[)([ xX])\] (.*)$/.exec(line.length > 2_000 ? "" : line);
    if (match) items.push({ start, end: lineEnd, box: start + match[1]!.length, checked: match[2] !== " ", content: match[3]!.trim() });
    else if (line.trim() !== "") others.push({ line: number, text: line.slice(0, 200) });
    start = end + 1;
    number++;
  }
  return { items, others };
}
