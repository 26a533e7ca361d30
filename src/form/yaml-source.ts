import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from "yaml";
import { messagesOf, type Language } from "../i18n/index.js";
import { setupMessages } from "../i18n/messages/setup.js";

/** A problem in a file the org maintains: the form or the config. */
export interface FileProblem {
  file: string;
  line: number | null;
  message: string;
}

export interface ParsedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  file: string;
  /** The document as plain data (aliases resolved, within MAX_ALIASES). */
  value: unknown;
}

/** Config and form files larger than this are refused before parsing (docs/security.md). */
export const MAX_FILE_BYTES = 256 * 1024;
/** Alias expansions allowed when the document becomes data: an alias bomb is a problem, not a crash. */
const MAX_ALIASES = 100;

/**
 * Parses YAML keeping positions, so every later problem can name its line.
 * Returns the first syntax errors as problems (in `language`) instead of throwing.
 */
export function parseYamlSource(text: string, file: string, language: Language = "en"): { ok: true; yaml: ParsedYaml } | { ok: false; problems: FileProblem[] } {
  const m = messagesOf(setupMessages, language);
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_FILE_BYTES) {
    return { ok: false, problems: [{ file, line: null, message: m.fileTooLarge(Math.ceil(bytes / 1024), MAX_FILE_BYTES / 1024) }] };
  }
  const lineCounter = new LineCounter();
  // yaml's own uniqueKeys compares every pair of keys (quadratic): duplicates are found below in one pass instead.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.slice(0, 5).map((error) => ({
        file,
        line: error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line,
        message: m.invalidYaml(firstLine(error.message), error.code),
      })),
    };
  }
  const duplicates = duplicateKeys(doc);
  if (duplicates.length > 0) {
    return { ok: false, problems: duplicates.slice(0, 5).map((offset) => ({ file, line: lineCounter.linePos(offset).line, message: m.invalidYaml("Map keys must be unique", "DUPLICATE_KEY") })) };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    return { ok: false, problems: [{ file, line: null, message: m.tooManyAliases(firstLine(error instanceof Error ? error.message : String(error)), MAX_ALIASES) }] };
  }
  return { ok: true, yaml: { doc, lineCounter, file, value } };
}

/** Offsets of keys that repeat a scalar key of the same mapping, found in one pass with a set per mapping. */
function duplicateKeys(doc: Document.Parsed): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = pair.key.value;
        if (seen.has(key)) offsets.push(pair.key.range?.[0] ?? 0);
        seen.add(key);
      }
    },
  });
  return offsets;
}

/** 1-based line of the node at `path`, or of its nearest existing parent. */
export function lineAt(source: ParsedYaml, path: readonly (string | number)[]): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? source.doc.contents : source.doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      // For a mapping value, point at its key's line when the value starts on a later line.
      return source.lineCounter.linePos(node.range[0]).line;
    }
  }
  return null;
}

/** Line of the key itself (`key:`) for a map entry, falling back to the value's line. */
export function keyLineAt(source: ParsedYaml, path: readonly (string | number)[]): number | null {
  if (path.length === 0) return lineAt(source, path);
  const parent = path.length === 1 ? source.doc.contents : source.doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isNode(item.key) && (item.key as { value?: unknown }).value === last);
    if (pair && isNode(pair.key) && pair.key.range) return source.lineCounter.linePos(pair.key.range[0]).line;
  }
  if (isSeq(parent) && typeof last === "number") return lineAt(source, path);
  return lineAt(source, path);
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}
