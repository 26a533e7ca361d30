import { createHash } from "node:crypto";
import { DateTime } from "luxon";
import type { List, Table } from "mdast";
import { toString } from "mdast-util-to-string";
import type { Config } from "../config/schema.js";
import { NO_RESPONSE } from "../form/body.js";
import { parseGfm, simpleTaskList, taskLines, tooHardForMarkdown } from "../form/markdown.js";
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
  kind: "task" | "table";
  /** The action itself, without owner/type/due/reference. */
  text: string;
  owner: string | null;
  type: string | null;
  due: string | null;
  /** An existing tracking issue: the item is already tracked and is not filed again. */
  ref: IssueReference | null;
  /** Ticked task item; null for table rows. */
  checked: boolean | null;
  /** Identity of the item before it is filed: its text and owner, normalised. */
  key: string;
  /** Body offsets: the task item's first line, its checkbox character, a table row's Issue and Status cells. */
  line: { start: number; end: number };
  checkbox: number | null;
  issueCell: { start: number; end: number } | null;
  statusCell: { start: number; end: number } | null;
}

export type ActionItemProblemCode =
  | "action-item-unparseable"
  | "action-item-owner-missing"
  | "action-item-owner-unknown"
  | "action-item-type"
  | "action-item-due";

export interface ActionItemProblem {
  code: ActionItemProblemCode;
  message: string;
}

const COLUMN_NAMES: Record<"action" | "type" | "owner" | "issue" | "due" | "status", string[]> = {
  action: ["action", "action item", "item", "task"],
  type: ["type", "kind"],
  owner: ["owner", "team", "owners"],
  issue: ["issue", "bug", "issue/bug", "tracking", "ticket", "follow-up"],
  due: ["due", "due date"],
  status: ["status", "done"],
};

const FIELD_TOKEN = /(?:^|\s)(owner|type|due):[ \t]*(\S*)/gi;
const SHORT_REF = /^(?:([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+))?#(\d+)$/;
const URL_REF = /^https?:\/\/[^/\s]+\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)\/(?:issues|pull)\/(\d+)(?:[#?].*)?$/;

/**
 * Reads the action-items answer: a GFM task list (`- [ ] text owner: x type: y
 * due: YYYY-MM-DD [#ref]`) or a GFM table with SRE-book columns found by header
 * name. `answerStart` is the offset of `answer` in the whole body, so every
 * item knows where to write a link or tick its checkbox.
 */
export function parseActionItems(
  answer: string,
  answerStart: number,
  home: { owner: string; repo: string },
): { items: ActionItem[]; unparseable: { line: number; text: string }[] } {
  const items: ActionItem[] = [];
  const unparseable: { line: number; text: string }[] = [];
  if (answer.trim() === "" || answer.trim() === NO_RESPONSE) return { items, unparseable };
  const hard = tooHardForMarkdown(answer) ? taskLines(answer) : null;
  if (hard) unparseable.push(...hard.others.slice(0, 20));
  const simple = simpleTaskList(answer) ?? hard?.items ?? null;
  if (simple) {
    for (const line of simple) {
      items.push(taskItem(items.length, line.content, line.checked, { start: answerStart + line.start, end: answerStart + line.end }, answerStart + line.box, home));
    }
    return { items, unparseable };
  }
  const tree = parseGfm(answer);
  for (const node of tree.children) {
    if (node.type === "list") readTaskList(answer, answerStart, node, home, items, unparseable);
    else if (node.type === "table") readTable(answer, answerStart, node, home, items, unparseable);
    else if (node.type !== "html" && node.type !== "thematicBreak") {
      unparseable.push({ line: node.position!.start.line, text: answer.slice(node.position!.start.offset, node.position!.end.offset) });
    }
  }
  return { items, unparseable };
}

function readTaskList(
  source: string,
  base: number,
  list: List,
  home: { owner: string; repo: string },
  items: ActionItem[],
  unparseable: { line: number; text: string }[],
): void {
  for (const item of list.children) {
    const start = item.position!.start.offset!;
    const lineEnd = endOfLine(source, start);
    const firstLine = source.slice(start, lineEnd);
    if (typeof item.checked !== "boolean") {
      unparseable.push({ line: item.position!.start.line, text: firstLine });
      continue;
    }
    const box = firstLine.indexOf("[");
    items.push(taskItem(items.length, firstLine.slice(box + 3).trim(), item.checked, { start: base + start, end: base + lineEnd }, base + start + box + 1, home));
  }
}

function taskItem(index: number, content: string, checked: boolean, line: { start: number; end: number }, checkbox: number, home: { owner: string; repo: string }): ActionItem {
  const fields = readFields(content, home);
  return { index, kind: "task", ...fields, checked, key: itemKey(fields.text, fields.owner), line, checkbox, issueCell: null, statusCell: null };
}

function readTable(
  source: string,
  base: number,
  table: Table,
  home: { owner: string; repo: string },
  items: ActionItem[],
  unparseable: { line: number; text: string }[],
): void {
  const [header, ...rows] = table.children;
  if (!header) return;
  const names = header.children.map((cell) => toString(cell).trim().toLowerCase());
  const column = (kind: keyof typeof COLUMN_NAMES) => names.findIndex((name) => COLUMN_NAMES[kind].includes(name));
  const col = { action: column("action"), type: column("type"), owner: column("owner"), issue: column("issue"), due: column("due"), status: column("status") };
  if (col.action < 0) {
    unparseable.push({ line: header.position!.start.line, text: "a table without an Action column" });
    return;
  }
  for (const row of rows) {
    const cell = (i: number) => (i >= 0 && row.children[i] ? toString(row.children[i]!).trim() : "");
    const span = (i: number) => (i >= 0 && row.children[i] ? cellContent(source, row.children[i]!.position!, i === row.children.length - 1, base) : null);
    const text = cell(col.action);
    if (text === "") continue;
    const ref = parseReference(cell(col.issue), home);
    const owner = cell(col.owner) || null;
    items.push({
      index: items.length,
      kind: "table",
      text,
      owner,
      type: cell(col.type) || null,
      due: cell(col.due) || null,
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

function readFields(content: string, home: { owner: string; repo: string }) {
  const values: Record<string, string> = {};
  let firstToken = content.length;
  for (const match of content.matchAll(FIELD_TOKEN)) {
    const key = match[1]!.toLowerCase();
    values[key] ??= match[2]!;
    firstToken = Math.min(firstToken, match.index! + (match[0]!.startsWith(" ") || match[0]!.startsWith("\t") ? 1 : 0));
  }
  let text = content.slice(0, firstToken);
  const rest = content.slice(firstToken);
  // A tracking reference ends the line (after the fields, or after the text when there are none).
  let ref: IssueReference | null = null;
  const tail = (rest || text).trimEnd();
  const lastToken = tail.slice(tail.lastIndexOf(" ") + 1);
  const parsed = parseReference(lastToken, home);
  if (parsed) {
    ref = parsed;
    if (!rest) text = text.trimEnd().slice(0, -lastToken.length);
    if (values.owner === lastToken || values.type === lastToken || values.due === lastToken) {
      for (const key of Object.keys(values)) if (values[key] === lastToken) values[key] = "";
    }
  }
  text = text.replace(/[\s—–:|-]+$/u, "").trim();
  return { text, owner: values.owner || null, type: values.type || null, due: values.due || null, ref };
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
    return { error: `the team ${quote(value)} is not mapped to a repository: add it to a team's \`handles\` in .github/postmortem.yml` };
  }
  if (/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(value)) return { repo: splitRepo(value), labels: [], assignees: [], via: "repository" };
  if (/^@[A-Za-z0-9-]+$/.test(value)) {
    const repo = config.follow_ups.default_repo ? splitRepo(config.follow_ups.default_repo) : home;
    return { repo, labels: [], assignees: [stripAt(value)], via: "person" };
  }
  const known = Object.keys(config.teams);
  return {
    error:
      `${quote(value)} is not a known owner. ` +
      (known.length > 0 ? `Known teams: ${known.map((k) => `\`${k}\``).join(", ")}. ` : "No teams are configured (`teams` in .github/postmortem.yml). ") +
      "An owner can also be `owner/repo` or `@user`",
  };
}

function splitRepo(fullName: string): { owner: string; repo: string } {
  const [owner, repo] = fullName.split("/") as [string, string];
  return { owner, repo };
}

function stripAt(login: string): string {
  return login.replace(/^@/, "");
}

/** The checks the postmortem check makes on each action item. */
export function checkActionItems(
  parsed: { items: ActionItem[]; unparseable: { line: number; text: string }[] },
  config: Config,
  home: { owner: string; repo: string },
  label: string,
): ActionItemProblem[] {
  const problems: ActionItemProblem[] = [];
  for (const line of parsed.unparseable) {
    problems.push({
      code: "action-item-unparseable",
      message: `**${label}**: line ${line.line} (${quote(line.text)}) is not an action item. Write each item as \`- [ ] <action> owner: <owner>\`, or use a table with an Action column.`,
    });
  }
  for (const item of parsed.items) {
    const which = `**${label}** item ${item.index + 1} (${quote(item.text || "(no text)", 40)})`;
    if (item.ref) continue; // already tracked elsewhere: its owner is that issue's business
    if (!item.owner) {
      problems.push({ code: "action-item-owner-missing", message: `${which} has no owner. Add \`owner: <team>\`, \`owner: owner/repo\` or \`owner: @user\`.` });
    } else {
      const resolved = resolveOwner(item.owner, config, home);
      if ("error" in resolved) problems.push({ code: "action-item-owner-unknown", message: `${which}: ${resolved.error}.` });
    }
    if (item.type && !config.follow_ups.types.some((t) => t.toLowerCase() === item.type!.toLowerCase())) {
      problems.push({
        code: "action-item-type",
        message: `${which}: type ${quote(item.type)} is not one of ${config.follow_ups.types.map((t) => `\`${t}\``).join(", ")}.`,
      });
    }
    if (item.due !== null && !isDate(item.due)) {
      problems.push({ code: "action-item-due", message: `${which}: due date ${quote(item.due)} is not a real date written as \`YYYY-MM-DD\`.` });
    }
  }
  return problems;
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: "UTC" }).isValid;
}
