// A structural validator for Mermaid `xychart-beta` source, written from
// Mermaid's own grammar (packages/mermaid/src/diagrams/xychart/parser/xychart.jison).
// Why not a real parser: @mermaid-js/parser (2.0.1, the latest) parses info,
// packet, pie, architecture, gitGraph, radar, treemap and a few others, but
// not xychart, which Mermaid still parses with that jison grammar inside the
// full `mermaid` package (a browser renderer with a DOM dependency). So the
// tests check the statements the report emits against the grammar's rules:
//
//   xychart-beta [vertical|horizontal]
//   title "<text without double quotes>"
//   x-axis ["<label>", "<label>", ...]         (band) or  x-axis [title] <n> --> <n>
//   y-axis "<title>" [<n> --> <n>]
//   bar|line [<n>, <n>, ...]                   numbers only: [+-]?(\d+(\.\d+)?|\.\d+)
//
// plus what a renderer needs: one x-axis, every data array as long as the band.

const NUM = String.raw`[+-]?(?:\d+(?:\.\d+)?|\.\d+)`;
const STR = String.raw`"[^"\n]+"`;
const ALNUM = String.raw`[A-Za-z0-9&+=*.#_-]+`;
const TEXT = `(?:${STR}|${ALNUM})`;

export function validateXyChart(source: string): string[] {
  const errors: string[] = [];
  const lines = source
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("%%"));
  if (!/^xychart-beta(?:\s+(?:vertical|horizontal))?$/.test(lines[0] ?? "")) errors.push(`first line must be "xychart-beta": ${JSON.stringify(lines[0])}`);
  let band: number | null = null;
  let xAxes = 0;
  let yAxes = 0;
  const series: number[] = [];
  for (const line of lines.slice(1)) {
    let m: RegExpExecArray | null;
    if (/^title\b/.test(line)) {
      if (!new RegExp(`^title\\s+${TEXT}$`).test(line)) errors.push(`bad title: ${line}`);
    } else if (/^x-axis\b/.test(line)) {
      xAxes++;
      if ((m = new RegExp(`^x-axis(?:\\s+${TEXT})?\\s*\\[\\s*(${TEXT}(?:\\s*,\\s*${TEXT})*)\\s*\\]$`).exec(line))) {
        band = m[1]!.match(new RegExp(TEXT, "g"))!.length;
      } else if (!new RegExp(`^x-axis(?:\\s+${TEXT})?\\s+${NUM}\\s*-->\\s*${NUM}$`).test(line)) {
        errors.push(`bad x-axis: ${line}`);
      }
    } else if (/^y-axis\b/.test(line)) {
      yAxes++;
      if (!new RegExp(`^y-axis(?:\\s+${TEXT}(?:\\s+${NUM}\\s*-->\\s*${NUM})?|\\s+${NUM}\\s*-->\\s*${NUM})$`).test(line)) errors.push(`bad y-axis: ${line}`);
    } else if (/^(?:bar|line)\b/.test(line)) {
      if ((m = new RegExp(`^(?:bar|line)(?:\\s+${TEXT})?\\s*\\[\\s*(${NUM}(?:\\s*,\\s*${NUM})*)\\s*\\]$`).exec(line))) {
        series.push(m[1]!.split(",").length);
      } else {
        errors.push(`bad data line (numbers only): ${line}`);
      }
    } else {
      errors.push(`unknown statement: ${line}`);
    }
  }
  if (xAxes !== 1) errors.push(`expected one x-axis, found ${xAxes}`);
  if (yAxes > 1) errors.push(`expected at most one y-axis, found ${yAxes}`);
  if (series.length === 0) errors.push("no bar or line data");
  if (band !== null) for (const n of series) if (n !== band) errors.push(`a data array has ${n} values for ${band} x-axis labels`);
  return errors;
}

/** The bodies of every ```mermaid block in a markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);
}
