import type { Config } from "../config/schema.js";
import { formatReference, resolveOwner, type ActionItem, type IssueReference, type ResolvedOwner } from "./action-items.js";
import { formatDate } from "../i18n/format.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { followUpMessages } from "../i18n/messages/follow-ups.js";
import { statusMessages } from "../i18n/messages/status.js";
import { hiddenJson, inert, lastMarkerAtLineStart } from "./text.js";

/** What the app remembers of one filed follow-up, in the postmortem's hidden state. */
export interface FollowUpRecord {
  /** `owner/repo#number` */
  ref: string;
  state: "open" | "closed";
  reason?: "completed" | "not_planned";
  /** The follow-up can no longer be read where it was filed. */
  missing?: "deleted" | "transferred";
  /** The action text when it was filed, for the status comment. */
  text: string;
}

export interface FollowUpState {
  published: boolean;
  /** Set before the first issue of a publish is created; cleared when every creation is recorded. */
  filingSince?: string;
  /** Item key -> the follow-up filed for it. */
  items: Record<string, FollowUpRecord>;
  /** Item key -> why it cannot be filed as written (its target does not exist): said once, not retried until the item changes. */
  unfiled?: Record<string, string>;
  /** Who was refused publishing for lack of permission (replied to once). */
  refusedPublisher?: string;
}

/** At most this many follow-ups are filed for one postmortem (docs/security.md). */
export const MAX_FOLLOW_UPS = 50;

export const FOLLOW_UP_MARKER = "<!-- postmortem-bot:follow-up ";

export function emptyFollowUps(): FollowUpState {
  return { published: false, items: {} };
}

export function readFollowUps(state: Record<string, unknown> | null): FollowUpState {
  const value = state?.followUps as Partial<FollowUpState> | undefined;
  if (!value || typeof value !== "object") return emptyFollowUps();
  return {
    published: value.published === true,
    filingSince: value.filingSince,
    items: { ...(value.items ?? {}) },
    ...(value.unfiled ? { unfiled: { ...value.unfiled } } : {}),
    ...(typeof value.refusedPublisher === "string" ? { refusedPublisher: value.refusedPublisher } : {}),
  };
}

/** An item to file, with where it goes. */
export interface FilingPlanEntry {
  item: ActionItem;
  owner: ResolvedOwner;
}

export interface FilingRefusal {
  item: ActionItem;
  message: string;
}

/** Items that still need a follow-up: not tracked by a reference, not recorded, with an owner the config resolves; none when follow-ups are off. */
export function itemsToFile(items: ActionItem[], followUps: FollowUpState, config: Config, home: { owner: string; repo: string }): FilingPlanEntry[] {
  const plan: FilingPlanEntry[] = [];
  if (!config.follow_ups.enabled) return plan;
  for (const item of items) {
    if (item.ref || followUps.items[item.key] || followUps.unfiled?.[item.key] !== undefined || !item.owner) continue;
    const owner = resolveOwner(item.owner, config, home);
    if ("error" in owner) continue;
    plan.push({ item, owner });
  }
  return plan;
}

export interface PostmortemFacts {
  ref: IssueReference;
  title: string;
  severity: string | null;
  /** Impact start, ISO date, if known. */
  incidentDate: string | null;
  /** Due date (`YYYY-MM-DD`) for an item without `due:`, from the level's follow-up window. */
  defaultDue?: string | null;
}

/** The follow-up issue, in the postmortem's config's language: a clear title, the action and its context, and a hidden link back. */
export function renderFollowUp(
  entry: FilingPlanEntry,
  postmortem: PostmortemFacts,
  config: Config,
  options: { minimal: boolean },
): { title: string; body: string; labels: string[]; assignees: string[] } {
  const { item, owner } = entry;
  const language = config.language;
  const m = messagesOf(followUpMessages, language);
  const text = inert(item.text);
  const parent = formatReference(postmortem.ref);
  const rows: [string, string][] = [];
  if (item.type) rows.push([m.type, item.type]);
  const due = item.due ?? postmortem.defaultDue;
  if (due) rows.push([m.due, dayText(due, language)]);
  if (!options.minimal) {
    if (postmortem.severity) rows.push([m.severity, postmortem.severity]);
    if (postmortem.incidentDate) rows.push([m.incident, dayText(postmortem.incidentDate, language)]);
  }
  rows.push([m.postmortem, parent]);
  const body = [
    text,
    "",
    "| | |",
    "| --- | --- |",
    ...rows.map(([k, v]) => `| ${k} | ${inert(v)} |`),
    "",
    options.minimal ? m.filedMinimal : m.filed,
    `${FOLLOW_UP_MARKER}${hiddenJson({ parent, key: item.key })} -->`,
  ].join("\n");
  const title = clip(item.text.replace(/\s+/g, " "), 200);
  const labels = unique([config.follow_ups.label, ...(item.type ? [item.type.toLowerCase()] : []), ...owner.labels]);
  return { title, body, labels, assignees: unique(owner.assignees) };
}

/** A calendar day (`YYYY-MM-DD`) as the reader writes it (`2026年12月15日`); anything else as written. */
function dayText(day: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (language === "en" || !match) return day;
  return formatDate(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])), "UTC", language);
}

/** The parent and item key of a follow-up the app filed, from its body's marker. */
export function readFollowUpMarker(body: string | null | undefined): { parent: IssueReference; key: string } | null {
  if (!body) return null;
  const payload = lastMarkerAtLineStart(body, FOLLOW_UP_MARKER);
  if (payload === null) return null;
  try {
    const value = JSON.parse(payload) as { parent?: unknown; key?: unknown };
    const match = typeof value.parent === "string" ? /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)#(\d+)$/.exec(value.parent) : null;
    if (!match || typeof value.key !== "string") return null;
    return { parent: { owner: match[1]!, repo: match[2]!, number: Number(match[3]) }, key: value.key };
  } catch {
    return null;
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * The body with each filed item's link written beside it and each task's
 * checkbox matching its follow-up (a table's Status cell gets the state in the
 * config's language). Only the app's own follow-ups are touched; null when
 * nothing would change.
 */
export function linkAndTickItems(body: string, items: ActionItem[], followUps: FollowUpState, language: Language = "en"): string | null {
  const edits: Edit[] = [];
  const byRef = new Map(Object.entries(followUps.items).map(([key, record]) => [record.ref.toLowerCase(), key]));
  for (const item of items) {
    const key = item.ref ? byRef.get(formatReference(item.ref).toLowerCase()) : followUps.items[item.key] ? item.key : undefined;
    const record = key ? followUps.items[key] : undefined;
    if (!record) continue;
    if (!item.ref) {
      if (item.kind !== "table") edits.push({ start: item.line.end, end: item.line.end, text: ` ${record.ref}` });
      else if (item.issueCell) edits.push({ start: item.issueCell.start, end: item.issueCell.end, text: ` ${record.ref} ` });
    }
    const done = record.state === "closed";
    if (item.checkbox !== null && item.checked !== done) {
      edits.push({ start: item.checkbox, end: item.checkbox + 1, text: done ? "x" : " " });
    }
    if (item.kind === "table" && item.statusCell) {
      const status = statusWord(record, language);
      if (body.slice(item.statusCell.start, item.statusCell.end).trim() !== status) edits.push({ ...item.statusCell, text: ` ${status} ` });
    }
  }
  if (edits.length === 0) return null;
  let next = body;
  for (const edit of edits.sort((a, b) => b.start - a.start)) next = next.slice(0, edit.start) + edit.text + next.slice(edit.end);
  return next;
}

/** A follow-up's state in words, as the status comment and an action-item table's Status cell show it. */
export function statusWord(record: FollowUpRecord, language: Language = "en"): string {
  const m = messagesOf(statusMessages, language);
  if (record.missing) return record.missing === "deleted" ? m.wordDeleted : m.wordTransferred;
  if (record.state === "open") return m.wordOpen;
  return record.reason === "not_planned" ? m.wordNotPlanned : m.wordDone;
}

export interface Progress {
  total: number;
  done: number;
  notPlanned: number;
  open: number;
  missing: number;
  allClosed: boolean;
}

export function progress(followUps: FollowUpState): Progress {
  const records = Object.values(followUps.items);
  const closed = records.filter((r) => !r.missing && r.state === "closed");
  const notPlanned = closed.filter((r) => r.reason === "not_planned").length;
  const missing = records.filter((r) => r.missing).length;
  return {
    total: records.length,
    done: closed.length - notPlanned,
    notPlanned,
    open: records.length - closed.length - missing,
    missing,
    allClosed: records.length > 0 && closed.length === records.length,
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = v.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
