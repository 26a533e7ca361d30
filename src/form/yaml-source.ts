import { isMap, isNode, isSeq, LineCounter, parseDocument, type Document } from "yaml";

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
}

/**
 * Parses YAML keeping positions, so every later problem can name its line.
 * Returns the first syntax errors as problems instead of throwing.
 */
export function parseYamlSource(text: string, file: string): { ok: true; yaml: ParsedYaml } | { ok: false; problems: FileProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.slice(0, 5).map((error) => ({
        file,
        line: error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line,
        message: `invalid YAML: ${firstLine(error.message)}`,
      })),
    };
  }
  return { ok: true, yaml: { doc, lineCounter, file } };
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
