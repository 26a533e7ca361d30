import { toString } from "mdast-util-to-string";
import type { ListItem, Nodes } from "mdast";
import { outline, type Fence } from "./blocks.js";
import { parseGfm, plainText, simpleTaskList, taskLines, tooHardForMarkdown } from "./markdown.js";
import type { FormField, FormSchema } from "./template.js";

/** What GitHub writes for a field left empty. Dropdowns with nothing chosen may show `None`. */
export const NO_RESPONSE = "_No response_";

export interface Answer {
  field: FormField;
  /** The answer as written, trimmed; `_No response_` kept as is. */
  raw: string;
  /** The answer's text: a `render:` fence unwrapped, empty when GitHub rendered no response. */
  text: string;
  empty: boolean;
  /** Dropdown choices as written (segmented on GitHub's `, ` separator against the options). */
  choices: string[];
  /** Checkbox label (plain text) -> ticked. */
  checked: Map<string, boolean>;
  /** Offsets of the answer in the body: from the end of its heading line to the next field's heading. */
  start: number;
  end: number;
  /** Offset of `raw` in the body. */
  rawStart: number;
}

export interface ParsedBody {
  /** Answers by field id, for the fields whose heading is in the body. */
  answers: Map<string, Answer>;
  /** Fields of the form whose heading is not in the body (renamed or deleted by hand). */
  missing: FormField[];
  /** False when no heading of the body matches any field: not written from the form. */
  followsForm: boolean;
}

/**
 * Splits a rendered issue-form body into answers keyed by field id. Headings
 * that are not form labels (typed by people inside an answer) stay part of the
 * answer above them, as `@github/issue-parser` does; `###` inside fences is text.
 */
export function parseBody(body: string, form: FormSchema): ParsedBody {
  const blocks = outline(body);
  const sections: { field: FormField; headingEnd: number; start: number }[] = [];
  const seen = new Set<string>();
  for (const heading of blocks.headings) {
    if (heading.depth !== 3) continue;
    const field = matchLabel(heading.text, form);
    if (!field || seen.has(field.id)) continue;
    seen.add(field.id);
    sections.push({ field, headingEnd: heading.end, start: heading.start });
  }

  const answers = new Map<string, Answer>();
  sections.forEach((section, i) => {
    const end = i + 1 < sections.length ? sections[i + 1]!.start : body.length;
    answers.set(section.field.id, readAnswer(body, section.field, section.headingEnd, end, blocks.fences));
  });
  return {
    answers,
    missing: form.fields.filter((field) => !seen.has(field.id)),
    followsForm: sections.length > 0,
  };
}

function matchLabel(text: string, form: FormSchema): FormField | undefined {
  const exact = form.byLabel.get(text);
  if (exact) return exact;
  const loose = normalizeLabel(text);
  return form.fields.find((field) => normalizeLabel(field.label) === loose);
}

function normalizeLabel(label: string): string {
  return label.replace(/\s+/g, " ").trim().toLowerCase();
}

function readAnswer(body: string, field: FormField, from: number, to: number, fences: Fence[]): Answer {
  let start = from;
  let end = to;
  while (start < end && isSpace(body.charCodeAt(start))) start++;
  while (end > start && isSpace(body.charCodeAt(end - 1))) end--;
  const raw = body.slice(start, end);
  const fence = fences.find((f) => f.start === start && f.closed && f.end === end);
  const unwrapped = fence ? body.slice(fence.contentStart, fence.contentEnd).replace(/\r?\n$|\r$/, "") : null;
  const noResponse = raw === NO_RESPONSE || (field.type === "dropdown" && raw === "None");
  // A `render:` field (or any field) that holds only an empty fence says nothing.
  const text = noResponse ? "" : unwrapped !== null && (field.render !== null || unwrapped.trim() === "") ? unwrapped : raw;
  const answer: Answer = {
    field,
    raw,
    text,
    empty: text.trim() === "",
    choices: [],
    checked: new Map(),
    start: from,
    end: to,
    rawStart: start,
  };
  if (field.type === "dropdown" && !answer.empty) answer.choices = splitChoices(text, field);
  if (field.type === "checkboxes" && !answer.empty) answer.checked = readCheckboxes(text);
  return answer;
}

/**
 * GitHub joins several choices with `, `; an option may itself contain `, `,
 * so match greedily against the options. A span never covers more parts than
 * the longest option has, which keeps this linear in the answer's length.
 */
export function splitChoices(text: string, field: FormField): string[] {
  const value = text.trim();
  if (field.options.includes(value)) return [value];
  const options = new Set(field.options);
  const widest = Math.max(1, ...field.options.map((o) => o.split(", ").length));
  const parts = value.split(", ");
  const choices: string[] = [];
  for (let i = 0; i < parts.length; ) {
    let taken = 1;
    for (let j = Math.min(parts.length, i + widest); j > i + 1; j--) {
      if (options.has(parts.slice(i, j).join(", "))) {
        taken = j - i;
        break;
      }
    }
    choices.push(parts.slice(i, i + taken).join(", ").trim());
    i += taken;
  }
  return choices.filter((choice) => choice !== "");
}

function readCheckboxes(text: string): Map<string, boolean> {
  const checked = new Map<string, boolean>();
  if (!text.includes("[")) return checked; // no checkbox can be there
  const simple = simpleTaskList(text) ?? (tooHardForMarkdown(text) ? taskLines(text).items : null);
  if (simple) {
    for (const line of simple) checked.set(line.content.replace(/\s+/g, " "), line.checked);
    return checked;
  }
  const tree = parseGfm(text);
  visitListItems(tree, (item) => {
    if (typeof item.checked === "boolean") checked.set(plainLabel(toString(item)), item.checked);
  });
  return checked;
}

function visitListItems(node: Nodes, visit: (item: ListItem) => void): void {
  if (node.type === "listItem") visit(node);
  if ("children" in node) for (const child of node.children) visitListItems(child, visit);
}

/** Checkbox labels compare as plain text: markdown links and emphasis reduced to their words. */
export const plainLabel = plainText;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}
