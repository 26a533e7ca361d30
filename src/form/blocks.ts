/**
 * The block structure of a rendered issue body that section splitting needs:
 * top-level ATX headings outside fenced code and HTML blocks, and the fences.
 *
 * Why not micromark here: on a 60 KB body mdast-util-from-markdown takes
 * 130-280 ms on this machine (BENCHMARKS.md), so a check could not answer as
 * fast as a regex parser. This scanner follows CommonMark's rules for the few
 * constructs that decide where a `###` line is a heading, in one pass over the
 * lines, with no backtracking regex. Property tests compare it with mdast.
 */

export interface Heading {
  depth: number;
  text: string;
  /** Offsets of the heading line in the source, end excluding the line ending. */
  start: number;
  end: number;
}

export interface Fence {
  start: number;
  end: number;
  /** Offset range of the fence's content (between the opening and closing lines). */
  contentStart: number;
  contentEnd: number;
  info: string;
  closed: boolean;
}

export interface BlockOutline {
  headings: Heading[];
  fences: Fence[];
}

interface Line {
  start: number;
  /** End of the line's text, before the line ending. */
  end: number;
  /** Start of the next line. */
  next: number;
}

type OpenBlock =
  | { kind: "fence"; marker: string; size: number; indent: number; fence: Fence }
  | { kind: "html"; closes: (line: string) => boolean; endsAtBlank: boolean }
  | null;

const HTML_BLOCK_TAGS = new Set(
  (
    "address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt " +
    "fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link " +
    "main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td tfoot th thead " +
    "title tr track ul"
  ).split(" "),
);
const RAW_HTML_TAGS = ["pre", "script", "style", "textarea"];

export function* lines(source: string): Generator<Line> {
  let start = 0;
  const length = source.length;
  while (start <= length) {
    let end = start;
    while (end < length) {
      const code = source.charCodeAt(end);
      if (code === 10 || code === 13) break;
      end++;
    }
    let next = end;
    if (next < length) next += source.charCodeAt(next) === 13 && source.charCodeAt(next + 1) === 10 ? 2 : 1;
    else next = length + 1;
    yield { start, end, next };
    start = next;
  }
}

export function outline(source: string): BlockOutline {
  const headings: Heading[] = [];
  const fences: Fence[] = [];
  let open: OpenBlock = null;
  let inParagraph = false;
  // Content column of the open list item: lines indented this far belong to it, not to the top level.
  let listContent: number | null = null;
  let listItemEmpty = false;
  // A fence opened inside the list item: its lines are code, never a lazy paragraph.
  let itemFence: { marker: string; size: number } | null = null;
  // The open paragraph, if any, is inside a block quote.
  let quoted = false;

  for (const line of lines(source)) {
    const text = source.slice(line.start, line.end);
    if (open?.kind === "fence") {
      if (closesFence(text, open.marker, open.size)) {
        open.fence.contentEnd = line.start;
        open.fence.end = line.end;
        open.fence.closed = true;
        open = null;
      }
      continue;
    }
    if (open?.kind === "html") {
      if (open.endsAtBlank ? isBlank(text) : open.closes(text)) open = null;
      inParagraph = false;
      continue;
    }
    if (isBlank(text)) {
      // A list item may begin with at most one blank line.
      if (listItemEmpty) listContent = null;
      inParagraph = false;
      continue;
    }
    const indent = leadingSpaces(text);
    const rest = text.slice(Math.min(indent, text.length)).trimStart();
    // A list marker (even of an empty item) ends a container's lazy paragraph; `--` or `===` do not.
    const breaksLaziness = indent < 4 && listItem(rest, false) !== null;
    if (listContent !== null) {
      listItemEmpty = false;
      if (indent >= listContent) {
        const content = text.trimStart();
        if (itemFence) {
          if (closesFence(content, itemFence.marker, itemFence.size)) itemFence = null;
        } else {
          const opened = openingFence(content);
          if (opened) itemFence = opened;
          else inParagraph = startsParagraph(content, inParagraph);
        }
        if (itemFence) inParagraph = false;
        continue;
      }
      itemFence = null;
      // Lazy continuation of the item's paragraph; a setext underline is never lazy.
      if (inParagraph && !breaksLaziness && (indent >= 4 || !interruptsParagraph(rest))) continue;
      listContent = null;
      inParagraph = false;
    }
    if (indent >= 4) continue; // indented code, or a paragraph's continuation: never a heading
    if (inParagraph && !quoted && /^(=+|-+)[ \t]*$/.test(rest)) {
      inParagraph = false; // setext underline: the paragraph became a level 1 or 2 heading
      continue;
    }
    if (rest[0] === ">") {
      const inner = rest.slice(1).replace(/^[ \t]/, "");
      inParagraph = startsParagraph(inner.trimStart(), inParagraph && quoted);
      quoted = inParagraph;
      continue;
    }
    // A line after a quoted paragraph is lazy unless it starts a block; an underline is never lazy.
    if (quoted && inParagraph && !breaksLaziness && !interruptsParagraph(rest)) continue;
    if (quoted) inParagraph = false;
    quoted = false;
    const item = listItem(rest, inParagraph);
    if (item) {
      listItemEmpty = item.content === "";
      listContent = indent + item.width;
      itemFence = openingFence(item.content);
      inParagraph = startsParagraph(item.content, false);
      continue;
    }
    const fenceOpen = openingFence(rest);
    if (fenceOpen) {
      const fence: Fence = {
        start: line.start,
        end: source.length,
        contentStart: Math.min(line.next, source.length),
        contentEnd: source.length,
        info: fenceOpen.info,
        closed: false,
      };
      fences.push(fence);
      open = { kind: "fence", marker: fenceOpen.marker, size: fenceOpen.size, indent, fence };
      inParagraph = false;
      continue;
    }
    const heading = atxHeading(rest);
    if (heading) {
      headings.push({ ...heading, start: line.start, end: line.end });
      inParagraph = false;
      continue;
    }
    const html = htmlBlockStart(rest, inParagraph);
    if (html) {
      if (!html.endsAtBlank && html.closes(rest)) open = null;
      else open = { kind: "html", ...html };
      inParagraph = false;
      continue;
    }
    inParagraph = !isThematicBreak(rest);
  }
  return { headings, fences };
}

/** Whether a line inside a container leaves an open paragraph behind it. */
function startsParagraph(line: string, continuing: boolean): boolean {
  // A loop, not recursion: a line of ten thousand `>` must not overflow the stack.
  let content = line;
  for (;;) {
    if (isBlank(content)) return false;
    if (content[0] === ">") {
      content = content.slice(1).trimStart();
      continue;
    }
    const item = continuing ? null : listItem(content, false);
    if (!item) break;
    content = item.content;
    continuing = false;
  }
  if (continuing && !interruptsParagraph(content)) return true;
  return !(openingFence(content) || atxHeading(content) || isThematicBreak(content) || content[0] === ">" || htmlBlockStart(content, continuing));
}

function interruptsParagraph(rest: string): boolean {
  if (rest[0] === ">" || openingFence(rest) || atxHeading(rest) || isThematicBreak(rest)) return true;
  if (listItem(rest, true)) return true;
  const html = htmlBlockStart(rest, true);
  return html !== null;
}

/** A list item marker; one that would interrupt a paragraph must be non-empty, and ordered ones must start at 1. */
function listItem(rest: string, inParagraph: boolean): { width: number; content: string } | null {
  let marker = 0;
  if (rest[0] === "-" || rest[0] === "+" || rest[0] === "*") marker = 1;
  else {
    while (marker < 9 && rest[marker]! >= "0" && rest[marker]! <= "9") marker++;
    if (marker === 0 || (rest[marker] !== "." && rest[marker] !== ")")) return null;
    if (inParagraph && rest.slice(0, marker) !== "1") return null;
    marker++;
  }
  const after = rest.slice(marker);
  if (after !== "" && after[0] !== " " && after[0] !== "\t") return null;
  if (isThematicBreak(rest)) return null;
  const content = after.trimStart();
  if (content === "") return inParagraph ? null : { width: marker + 1, content };
  const spaces = after.length - after.trimStart().length;
  return { width: marker + (spaces > 4 ? 1 : spaces), content };
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9) return false;
  }
  return true;
}

function leadingSpaces(text: string): number {
  let columns = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === " ") columns++;
    else if (char === "\t") columns += 4 - (columns % 4);
    else break;
    if (columns >= 4) return columns;
  }
  return columns;
}

function openingFence(rest: string): { marker: string; size: number; info: string } | null {
  const marker = rest[0];
  if (marker !== "`" && marker !== "~") return null;
  let size = 0;
  while (rest[size] === marker) size++;
  if (size < 3) return null;
  const info = rest.slice(size).trim();
  if (marker === "`" && info.includes("`")) return null;
  return { marker, size, info };
}

function closesFence(text: string, marker: string, size: number): boolean {
  const indent = leadingSpaces(text);
  if (indent >= 4) return false;
  const rest = text.trimStart();
  let count = 0;
  while (rest[count] === marker) count++;
  return count >= size && isBlank(rest.slice(count));
}

function atxHeading(rest: string): { depth: number; text: string } | null {
  let depth = 0;
  while (rest[depth] === "#") depth++;
  if (depth === 0 || depth > 6) return null;
  const after = rest[depth];
  if (after !== undefined && after !== " " && after !== "\t") return null;
  let content = rest.slice(depth).trim();
  // Optional closing sequence: spaces then only '#', or a content of only '#'.
  let hashes = content.length;
  while (hashes > 0 && content[hashes - 1] === "#") hashes--;
  if (hashes === 0) content = "";
  else if (hashes < content.length && (content[hashes - 1] === " " || content[hashes - 1] === "\t")) content = content.slice(0, hashes).trimEnd();
  return { depth, text: content };
}

function isThematicBreak(rest: string): boolean {
  const char = rest[0];
  if (char !== "*" && char !== "-" && char !== "_") return false;
  let count = 0;
  for (const c of rest) {
    if (c === char) count++;
    else if (c !== " " && c !== "\t") return false;
  }
  return count >= 3;
}

function htmlBlockStart(rest: string, inParagraph: boolean): { closes: (line: string) => boolean; endsAtBlank: boolean } | null {
  if (rest[0] !== "<") return null;
  const lower = rest.toLowerCase();
  for (const tag of RAW_HTML_TAGS) {
    if (lower.startsWith(`<${tag}`) && !lower.startsWith(`</`)) {
      const after = lower[tag.length + 1];
      if (after === undefined || after === " " || after === "\t" || after === ">") {
        return { closes: (line) => line.toLowerCase().includes(`</${tag}>`), endsAtBlank: false };
      }
    }
  }
  if (rest.startsWith("<!--")) return { closes: (line) => line.includes("-->"), endsAtBlank: false };
  if (rest.startsWith("<?")) return { closes: (line) => line.includes("?>"), endsAtBlank: false };
  if (rest.startsWith("<![CDATA[")) return { closes: (line) => line.includes("]]>"), endsAtBlank: false };
  if (/^<![A-Za-z]/.test(rest)) return { closes: (line) => line.includes(">"), endsAtBlank: false };
  const name = /^<\/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)/.exec(rest)?.[1]?.toLowerCase();
  if (name && HTML_BLOCK_TAGS.has(name)) return { closes: () => false, endsAtBlank: true };
  // Type 7: a complete tag alone on its line; it cannot interrupt a paragraph.
  // (micromark, our reference, also lets `</pre>` and kin open one.)
  if (!inParagraph && name && (rest[1] === "/" || !RAW_HTML_TAGS.includes(name)) && isCompleteTagLine(rest)) {
    return { closes: () => false, endsAtBlank: true };
  }
  return null;
}

const ATTRIBUTE = String.raw`(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>\x60]+|'[^']*'|"[^"]*"))?)`;
const OPEN_TAG = new RegExp(String.raw`^<[A-Za-z][A-Za-z0-9-]*${ATTRIBUTE}*\s*\/?>\s*$`);
const CLOSE_TAG = /^<\/[A-Za-z][A-Za-z0-9-]*\s*>\s*$/;

function isCompleteTagLine(rest: string): boolean {
  // Bounded so an adversarial line cannot make the regex expensive.
  return rest.length <= 2000 && (OPEN_TAG.test(rest) || CLOSE_TAG.test(rest));
}
