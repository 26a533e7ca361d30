import { createHash } from "node:crypto";
import { DateTime } from "luxon";
import type { List, ListItem, Table } from "mdast";
import { toString } from "mdast-util-to-string";
import type { Config } from "../config/schema.js";
import { NO_RESPONSE } from "../form/body.js";
import { linesOf, parseGfm, tooHardForMarkdown } from "../form/markdown.js";
import { fieldName } from "../i18n/format.js";
import { messagesOf } from "../i18n/index.js";
import { actionItemMessages } from "../i18n/messages/action-items.js";
import { quote } from "./text.js";

/** `owner/repo#number`: an issue somewhere on GitHub. */
export interface IssueReference {
  owner: string;
  repo: string;
  number: number;
}

/** One action item as written in the postmortem, with where it sits in the body. */
export interface ActionItem {
  index: number;
  /** A task item (`- [ ]`), another list item (`-`, `*`, `+`, `1.`, `1)`), or a table row. */
  kind: "task" | "list" | "table";
  /** The action itself, without owner/type/due/reference and the separators between them. */
  text: string;
  owner: string | null;
  type: string | null;
  /** `YYYY-MM-DD` when the written due date reads as one, else as written (a problem). */
  due: string | null;
  /** An existing tracking issue: the item is already tracked and is not filed again. */
  ref: IssueReference | null;
  /** Ticked task item; null for other list items and table rows. */
  checked: boolean | null;
  /** Identity of the item before it is filed: its first line's text and its owner, normalised. */
  key: string;
  /** Body offsets: the item's first line (its link goes at the end), its checkbox character, a table row's Issue and Status cells. */
  line: { start: number; end: number };
  checkbox: number | null;
  issueCell: { start: number; end: number } | null;
  statusCell: { start: number; end: number } | null;
}

export type ActionItemProblemCode = "action-item-owner-missing" | "action-item-owner-unknown" | "action-item-type" | "action-item-due";

export interface ActionItemProblem {
  code: ActionItemProblemCode;
  message: string;
}

/** What the reader needs of the config: the teams whose names mean an owner. */
export type ActionItemReaderConfig = Pick<Config, "teams">;

const COLUMN_NAMES: Record<"action" | "type" | "owner" | "issue" | "due" | "status", string[]> = {
  action: ["action", "action item", "item", "task", "アクション", "アクションアイテム", "対策", "内容"],
  type: ["type", "kind", "class", "種別", "種類"],
  owner: ["owner", "team", "owners", "担当", "担当者", "担当チーム"],
  issue: ["issue", "bug", "issue/bug", "tracking", "ticket", "follow-up", "チケット"],
  due: ["due", "due date", "期限"],
  status: ["status", "done", "状態", "ステータス"],
};

/** One list item as the line reader sees it (the fast path and the fallback for text too hard for markdown). */
interface ListLine {
  start: number;
  end: number;
  box: number | null;
  checked: boolean | null;
  /** The first line after the marker and the box. */
  content: string;
  /** Continuation lines, trimmed. */
  rest: string[];
}

const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(?:\[([ xX])\](?=[ \t]))?[ \t]*(.*))?$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * Reads the action-items answer: any list (task items, `-`/`*`/`+`, `1.`/`1)`)
 * whose items may carry continuation lines, or a GFM table with SRE-book columns
 * found by header name. Prose between items is not an item and is skipped. Pure;
 * `answerStart` is the offset of `answer` in the whole body, so every item knows
 * where to write a link or tick its checkbox; `config.teams` names owners.
 */
export function parseActionItems(
  answer: string,
  answerStart: number,
  home: { owner: string; repo: string },
  config: ActionItemReaderConfig = { teams: {} },
): { items: ActionItem[] } {
  const items: ActionItem[] = [];
  if (answer.trim() === "" || answer.trim() === NO_RESPONSE) return { items };
  const reader = { home, teamWord: teamWordPattern(config.teams), base: answerStart };
  const lines = !NEEDS_MARKDOWN.test(answer) || tooHardForMarkdown(answer) ? listLines(answer) : null;
  if (lines) {
    for (const line of lines) items.push(listItem(items.length, line, reader));
    return { items };
  }
  const tree = parseGfm(answer);
  const found: ListLine[] = [];
  for (const node of tree.children) {
    if (node.type === "list") readList(answer, node, found);
    else if (node.type === "table") readTable(answer, node, reader, items);
  }
  // Tables first in the tree walk, lists after: put them back in the order they are written.
  for (const line of found) items.push(listItem(items.length, line, reader));
  items.sort((a, b) => a.line.start - b.line.start).forEach((item, i) => (item.index = i));
  return { items };
}

/**
 * Markdown whose structure the line reader does not follow: fences, quotes,
 * HTML, tables, thematic breaks and setext underlines. Anything else (lists,
 * continuation lines, nesting, inline markup, which the reader keeps as written)
 * is read line by line, without building a syntax tree.
 */
const NEEDS_MARKDOWN = /^[ \t]*(?:```|~~~|>|<|\|)|^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-*:?[ \t]*)*\|?[ \t]*$|^[ \t]*=+[ \t]*$|^ {0,3}([*_])(?:[ \t]*\1){2,}[ \t]*$/m;

/**
 * The line reader: a list-marker line starts an item; a following line that is
 * indented, or directly follows the item (lazy continuation), continues it; a
 * blank line then an unindented line ends it. A task item nested under an item
 * is an item of its own, a plain one continues the item it is under, and a
 * plain item holding tasks is a heading over them (as `readList` reads the
 * tree). Linear: each line is read once, and very long lines are not matched.
 */
function listLines(text: string): ListLine[] {
  const items: ListLine[] = [];
  const headings = new Set<ListLine>();
  let top: { item: ListLine; column: number } | null = null;
  let task: { item: ListLine; column: number } | null = null;
  let current: ListLine | null = null;
  let blank = false;
  for (const { line, start, end: lineEnd } of linesOf(text)) {
    const match = line.length > 2_000 || THEMATIC_BREAK.test(line) ? null : LIST_ITEM.exec(line);
    if (match) {
      const indent = match[1]!.length;
      const checked = match[3] === undefined ? null : match[3] !== " ";
      const item: ListLine = {
        start: start + indent,
        end: lineEnd,
        box: checked === null ? null : start + line.indexOf("[", indent) + 1,
        checked,
        content: (match[4] ?? "").trim(),
        rest: [],
      };
      const column = indent + match[2]!.length + 1;
      if (top && indent >= top.column && checked !== null) {
        items.push(item);
        if (top.item.checked === null) headings.add(top.item);
        task = { item, column };
        current = item;
      } else if (top && indent >= top.column) {
        const under = task && indent >= task.column ? task.item : top.item;
        if (item.content !== "") under.rest.push(item.content);
        current = under;
      } else {
        items.push(item);
        top = { item, column };
        task = null;
        current = item;
      }
      blank = false;
    } else if (line.trim() === "") {
      blank = true;
    } else if (current && (!blank || /^[ \t]/.test(line))) {
      current.rest.push(line.slice(0, 2_000).trim());
      blank = false;
    } else {
      current = top = task = null;
    }
  }
  return headings.size === 0 ? items : items.filter((item) => !headings.has(item));
}

/** Collects the list's items: a task item nested in another item is an item of its own; other nested lines continue their item. */
function readList(source: string, list: List, found: ListLine[]): void {
  for (const item of list.children) {
    const nestedTasks = tasksWithin(item);
    // A plain item holding task items is a heading over them ("- Detect" + "  - [ ] …"), not an action.
    if (typeof item.checked !== "boolean" && nestedTasks.length > 0) {
      for (const task of nestedTasks) readList(source, { type: "list", children: [task] }, found);
      continue;
    }
    const start = item.position!.start.offset!;
    const firstEnd = endOfLine(source, start);
    const marker = LIST_ITEM.exec(source.slice(start, firstEnd));
    const checked = typeof item.checked === "boolean" ? item.checked : null;
    const box = checked === null ? null : source.indexOf("[", start) + 1;
    const content = box === null ? (marker?.[4] ?? "").trim() : source.slice(box + 2, firstEnd).trim();
    const skip = nestedTasks.map((task) => [task.position!.start.offset!, task.position!.end.offset!] as const);
    found.push({ start, end: firstEnd, box, checked, content, rest: ownLines(source, firstEnd, item.position!.end.offset!, skip) });
    for (const task of nestedTasks) readList(source, { type: "list", children: [task] }, found);
  }
}

/** Task items nested in an item, through plain nested items but not through another task. */
function tasksWithin(item: ListItem): ListItem[] {
  const tasks: ListItem[] = [];
  for (const child of item.children) {
    if (child.type !== "list") continue;
    for (const nested of child.children) {
      if (typeof nested.checked === "boolean") tasks.push(nested);
      else tasks.push(...tasksWithin(nested));
    }
  }
  return tasks;
}

/** The item's lines after its first, trimmed and without nested plain list markers, leaving out nested tasks (`skip`, in order). */
function ownLines(source: string, from: number, to: number, skip: readonly (readonly [number, number])[]): string[] {
  const lines: string[] = [];
  let next = 0;
  let start = from + 1;
  while (start < to) {
    let end = source.indexOf("\n", start);
    if (end < 0 || end > to) end = to;
    const line = source.slice(start, end).trim();
    const at = end - source.slice(start, end).trimStart().length;
    while (next < skip.length && skip[next]![1] <= at) next++;
    if (!(next < skip.length && skip[next]![0] <= at)) {
      const marker = LIST_ITEM.exec(line);
      const text = marker ? (marker[4] ?? "").trim() : line;
      if (text !== "") lines.push(text);
    }
    start = end + 1;
  }
  return lines;
}

interface Reader {
  home: { owner: string; repo: string };
  teamWord: RegExp | null;
  base: number;
}

function listItem(index: number, line: ListLine, reader: Reader): ActionItem {
  const parts = readParts(line.content, line.rest, reader);
  return {
    index,
    kind: line.checked === null ? "list" : "task",
    ...parts,
    checked: line.checked,
    key: itemKey(identityText(line.content, reader.home), parts.owner),
    line: { start: reader.base + line.start, end: reader.base + line.end },
    checkbox: line.box === null ? null : reader.base + line.box,
    issueCell: null,
    statusCell: null,
  };
}

function readTable(source: string, table: Table, reader: Reader, items: ActionItem[]): void {
  const [header, ...rows] = table.children;
  if (!header) return;
  const names = header.children.map((cell) => toString(cell).trim().toLowerCase());
  const column = (kind: keyof typeof COLUMN_NAMES) => names.findIndex((name) => COLUMN_NAMES[kind].includes(name));
  const col = { action: column("action"), type: column("type"), owner: column("owner"), issue: column("issue"), due: column("due"), status: column("status") };
  // A table whose action column has another name: the first column that is none of the others.
  if (col.action < 0) col.action = names.findIndex((_, i) => !Object.values(col).includes(i));
  const base = reader.base;
  for (const row of rows) {
    const cell = (i: number) => (i >= 0 && row.children[i] ? toString(row.children[i]!).trim() : "");
    const span = (i: number) => (i >= 0 && row.children[i] ? cellContent(source, row.children[i]!.position!, i === row.children.length - 1, base) : null);
    const text = cell(col.action);
    if (text === "") continue;
    const ref = parseReference(cell(col.issue), reader.home);
    const owner = cell(col.owner) || null;
    items.push({
      index: items.length,
      kind: "table",
      text,
      owner,
      type: cell(col.type) || null,
      due: dueDate(cell(col.due)),
      ref,
      checked: null,
      key: itemKey(text, owner),
      line: { start: base + row.position!.start.offset!, end: base + row.position!.end.offset! },
      checkbox: null,
      issueCell: span(col.issue),
      statusCell: span(col.status),
    });
  }
}

/** A cell's writable range: after its leading pipe, up to the next pipe. */
function cellContent(source: string, position: { start: { offset?: number }; end: { offset?: number } }, last: boolean, base: number) {
  const start = position.start.offset! + (source[position.start.offset!] === "|" ? 1 : 0);
  let end = position.end.offset!;
  if (last && source[end - 1] === "|") end--;
  return { start: base + start, end: base + end };
}

const SHORT_REF = /^(?:([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+))?#(\d+)$/;
const URL_REF = /^https?:\/\/[^/\s]+\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)\/(?:issues|pull)\/(\d+)(?:[#?].*)?$/;

// `owner: x`, `担当：x`, `due: 2026-12-15`, `期限: 2026/12/15`, `type: detect`: the value is one word.
const FIELD_TOKEN = /(?<![^\s|—–,;、(（])(owner|担当者?|type|種別|due|期限)[ \t]*[:：][ \t]*([^\s|,;、)）]*)[,;、)）]?/giu;
const FIELD_ROLE: Record<string, "owner" | "type" | "due"> = { owner: "owner", 担当: "owner", 担当者: "owner", type: "type", 種別: "type", due: "due", 期限: "due" };
const TAG = /^\[([\p{L}\p{N}_-][\p{L}\p{N} _-]{0,29})\](?![([:])\s*/u;
const MENTION = /(?<![\p{L}\p{N}_@/.])@[A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9._-]+)?(?![\p{L}\p{N}_@])/u;
const SEPARATORS = /^[\s—–:|-]+|[\s—–:|-]+$/gu;
/** What surrounds a part of its own: the start or a separator before it, the end or a separator after it. */
const PART_BEFORE = /(?:^|[—–|:-])\s*$/u;
const PART_AFTER = /^\s*(?:[—–|:-]|$)/u;

/**
 * An item's parts: a leading `[class]` tag, `owner:`/`担当:`, `type:`, `due:`/`期限:`,
 * a tracking reference ending the item or its first line (where the app writes
 * it), and an owner written as a mention or a team's name. A mention or team
 * name that is a part of its own (between separators) leaves the text; one
 * inside a sentence stays in it.
 */
function readParts(first: string, rest: string[], reader: Reader) {
  const lines = [first, ...rest];
  // A reference ends the item, or its first line: where the app writes the link of an item with continuation lines.
  let ref: IssueReference | null = null;
  for (const at of rest.length > 0 ? [lines.length - 1, 0] : [0]) {
    const found = trailingReference(lines[at]!, reader.home);
    if (found) {
      ref = found.ref;
      lines[at] = found.before;
      break;
    }
  }
  const values: Partial<Record<"owner" | "type" | "due", string>> = {};
  for (const [i, line] of lines.entries()) {
    lines[i] = line.replace(FIELD_TOKEN, (_, key: string, value: string) => {
      values[FIELD_ROLE[key.toLowerCase()]!] ??= value;
      return " ";
    });
  }
  const tag = TAG.exec(lines[0]!.trimStart());
  if (tag) lines[0] = lines[0]!.trimStart().slice(tag[0].length);
  let owner = values.owner || null;
  for (const pattern of owner ? [] : [MENTION, reader.teamWord]) {
    const at = pattern ? lines.findIndex((line) => pattern.test(line)) : -1;
    if (at < 0) continue;
    const line = lines[at]!;
    const found = pattern!.exec(line)!;
    owner = found[0];
    const before = line.slice(0, found.index);
    const after = line.slice(found.index + found[0].length);
    if (PART_BEFORE.test(before) && PART_AFTER.test(after)) lines[at] = `${before} ${after}`;
    break;
  }
  const text = lines
    .map((line) => line.replace(/\s+/g, " ").replace(SEPARATORS, "").trim())
    .filter(Boolean)
    .join(" ");
  return { text, owner, type: values.type || tag?.[1]!.trim() || null, due: values.due ? dueDate(values.due) : null, ref };
}

/** A reference ending the text (`#12`, `owner/repo#12`, an issue URL), possibly after a dash or in parentheses. */
function trailingReference(text: string, home: { owner: string; repo: string }): { ref: IssueReference; before: string } | null {
  const trimmed = text.trimEnd();
  const space = Math.max(trimmed.lastIndexOf(" "), trimmed.lastIndexOf("\t"));
  const token = trimmed.slice(space + 1);
  const bare = token.replace(/^[(（[]+/u, "").replace(/[)）\].。,、]+$/u, "");
  const ref = parseReference(bare, home);
  return ref ? { ref, before: trimmed.slice(0, space + 1) } : null;
}

function dueDate(written: string): string | null {
  const value = written.normalize("NFKC").trim();
  if (value === "") return null;
  const date = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(value) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(value);
  return date ? `${date[1]}-${date[2]!.padStart(2, "0")}-${date[3]!.padStart(2, "0")}` : value;
}

const teamWords = new WeakMap<Config["teams"], RegExp | null>();

/** A configured team's key as a whole word (`platform-team` in `- [detect] platform-team — …`). */
function teamWordPattern(teams: Config["teams"]): RegExp | null {
  let pattern = teamWords.get(teams);
  if (pattern === undefined) {
    const keys = Object.keys(teams).sort((a, b) => b.length - a.length);
    pattern = keys.length === 0 ? null : new RegExp(`(?<![\\p{L}\\p{N}_./@-])(?:${keys.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}_/-])`, "iu");
    teamWords.set(teams, pattern);
  }
  return pattern;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const LEGACY_FIELD = /(?:^|\s)(owner|type|due):/i;

/**
 * The text an item's identity is made of: its first line up to the first
 * `owner:`/`type:`/`due:`, without a reference ending it. This is how items were
 * read before other shapes were accepted, so a published postmortem's items keep
 * their keys (and are not filed again) whatever else the reader learns.
 */
function identityText(first: string, home: { owner: string; repo: string }): string {
  const field = LEGACY_FIELD.exec(first);
  let text = field ? first.slice(0, field.index + (/^\s/.test(field[0]) ? 1 : 0)) : first;
  if (!field) {
    const tail = text.trimEnd();
    const last = tail.slice(tail.lastIndexOf(" ") + 1);
    if (parseReference(last, home)) text = tail.slice(0, -last.length);
  }
  return text.replace(/[\s—–:|-]+$/u, "").trim();
}

export function parseReference(token: string, home: { owner: string; repo: string }): IssueReference | null {
  const value = token.trim();
  if (value === "") return null;
  const short = SHORT_REF.exec(value);
  if (short) return { owner: short[1] ?? home.owner, repo: short[2] ?? home.repo, number: Number(short[3]) };
  const url = URL_REF.exec(value);
  if (url) return { owner: url[1]!, repo: url[2]!, number: Number(url[3]) };
  return null;
}

export function formatReference(ref: IssueReference): string {
  return `${ref.owner}/${ref.repo}#${ref.number}`;
}

export function itemKey(text: string, owner: string | null): string {
  const normal = `${text.toLowerCase().replace(/\s+/g, " ").trim()}\u0000${(owner ?? "").toLowerCase()}`;
  return createHash("sha256").update(normal).digest("hex").slice(0, 16);
}

function endOfLine(source: string, from: number): number {
  const lf = source.indexOf("\n", from);
  const end = lf < 0 ? source.length : lf;
  return source[end - 1] === "\r" ? end - 1 : end;
}

/** Where an action item is filed, and who is told. */
export interface ResolvedOwner {
  repo: { owner: string; repo: string };
  labels: string[];
  assignees: string[];
  via: "team" | "handle" | "repository" | "person";
}

/** Resolves an owner: a team key, an `@org/team` handle mapped in config, `owner/repo`, or `@user`. */
export function resolveOwner(owner: string, config: Config, home: { owner: string; repo: string }): ResolvedOwner | { error: string } {
  const value = owner.trim();
  const team = config.teams[value] ?? Object.entries(config.teams).find(([key]) => key.toLowerCase() === value.toLowerCase())?.[1];
  if (team) return { repo: splitRepo(team.repo), labels: team.labels, assignees: team.assignees.map(stripAt), via: "team" };
  if (/^@[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(value)) {
    const handled = Object.values(config.teams).find((t) => t.handles.some((h) => h.toLowerCase() === value.toLowerCase()));
    if (handled) return { repo: splitRepo(handled.repo), labels: handled.labels, assignees: handled.assignees.map(stripAt), via: "handle" };
    return { error: messagesOf(actionItemMessages, config.language).handleUnmapped(quote(value)) };
  }
  if (/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(value)) return { repo: splitRepo(value), labels: [], assignees: [], via: "repository" };
  if (/^@[A-Za-z0-9-]+$/.test(value)) {
    const repo = config.follow_ups.default_repo ? splitRepo(config.follow_ups.default_repo) : home;
    return { repo, labels: [], assignees: [stripAt(value)], via: "person" };
  }
  const known = Object.keys(config.teams);
  const m = messagesOf(actionItemMessages, config.language);
  return { error: known.length > 0 ? m.unknownOwner(quote(value), known.map((k) => `\`${k}\``).join(", ")) : m.unknownOwnerNoTeams(quote(value)) };
}

function splitRepo(fullName: string): { owner: string; repo: string } {
  const [owner, repo] = fullName.split("/") as [string, string];
  return { owner, repo };
}

function stripAt(login: string): string {
  return login.replace(/^@/, "");
}

/**
 * The checks the postmortem check makes on each action item. A tracked item
 * (one with a reference) is that issue's business; with follow-ups off nothing
 * is filed, so no owner or type is demanded.
 */
export function checkActionItems(parsed: { items: ActionItem[] }, config: Config, home: { owner: string; repo: string }, label: string): ActionItemProblem[] {
  const m = messagesOf(actionItemMessages, config.language);
  const problems: ActionItemProblem[] = [];
  for (const item of parsed.items) {
    const which = m.item(fieldName(label, config.language), item.index + 1, item.text ? quote(item.text, 40) : m.noText);
    if (!item.ref && config.follow_ups.enabled) {
      if (!item.owner) {
        problems.push({ code: "action-item-owner-missing", message: m.ownerMissing(which) });
      } else {
        const resolved = resolveOwner(item.owner, config, home);
        if ("error" in resolved) problems.push({ code: "action-item-owner-unknown", message: m.ownerUnknown(which, resolved.error) });
      }
      if (item.type && !config.follow_ups.types.some((t) => t.toLowerCase() === item.type!.toLowerCase())) {
        problems.push({ code: "action-item-type", message: m.type(which, quote(item.type), config.follow_ups.types.map((t) => `\`${t}\``).join(", ")) });
      }
    }
    if (item.due !== null && !isDate(item.due)) problems.push({ code: "action-item-due", message: m.due(which, quote(item.due)) });
  }
  return problems;
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: "UTC" }).isValid;
}
