import type { Config } from "../config/schema.js";
import { answerFor, type Validation } from "./validate.js";
import { reasonDescription } from "./reason-text.js";
import { formatDuration } from "./metrics.js";
import { z } from "zod";
import { messagesOf, type Language } from "../i18n/index.js";
import { formatDate } from "../i18n/format.js";
import { readingListMessages } from "../i18n/messages/reading-list.js";
import { security } from "../i18n/messages/security.js";
import { hiddenJson, inert, lastMarkerAtLineStart, markersAtLineStart } from "./text.js";

/** One recommended postmortem on the reading list. Kept in the list's body, so the body is its own state. */
export interface ReadingEntry {
  /** `owner/repo#number` */
  ref: string;
  url: string;
  title: string;
  /** Impact start date (YYYY-MM-DD), the sort key: newest incident first. */
  date: string | null;
  severity: string | null;
  ttdSeconds: number | null;
  ttrSeconds: number | null;
  summary: string;
  /** Reason keys from `reading_list.reasons`, in config order; empty for a plain recommendation. */
  reasons: string[];
  note: string;
  /** Login of whoever recommended it. */
  by: string;
}

export interface ReadingState {
  /** Login -> refs already handed out in reading sessions. */
  handedOut: Record<string, string[]>;
  /** Hashes of recommended postmortems held back by the visibility rule: counted on the list, never named. */
  heldBack?: string[];
}

/** The first page's title in English (see pageTitle). */
export const READING_LIST_TITLE = readingListMessages.byLanguage.en.title;
export const READING_LIST_LABEL = "postmortem reading list";
const PAGE_MARKER = "<!-- postmortem-bot:reading-list page=";
const ENTRY_MARKER = "<!-- postmortem-bot:entry ";
const STATE_MARKER = "<!-- postmortem-bot:reading-state ";
/** Below GitHub's 65,536-character body limit, with room for the page header. */
export const PAGE_LIMIT = 60_000;

/** The reason labels: `recommended: lessons`, … */
export function reasonLabel(config: Config, reason: string): string {
  return `${config.reading_list.label}: ${reason}`;
}

/** An entry's `YYYY-MM-DD` as the reader of `language` writes a date: `2026-11-20` / `2026年11月20日`. */
export function entryDate(date: string, language: Language): string {
  if (language === "en") return date;
  const at = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(at) ? date : formatDate(at, "UTC", language);
}

/** Reason keys named by an issue's labels, in config order. */
export function reasonsFromLabels(config: Config, labels: string[]): string[] {
  const lower = new Set(labels.map((l) => l.toLowerCase()));
  return Object.keys(config.reading_list.reasons).filter((key) => lower.has(reasonLabel(config, key).toLowerCase()));
}

/** Recommended means the base label: a reason label alone (one left behind when the base came off) does not keep it on the list. */
export function isRecommended(config: Config, labels: string[]): boolean {
  const base = config.reading_list.label.toLowerCase();
  return labels.some((l) => l.toLowerCase() === base);
}

/** The first sentence of the summary: plain, one line, at most 300 characters, mentions neutralized. */
export function firstSentence(text: string): string {
  const plain = text
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`>#|]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const match = /^(.+?(?:[.!?](?=\s|$)|[。！？]))/u.exec(plain);
  const sentence = match ? match[1]! : plain;
  return inert(sentence.length > 300 ? `${sentence.slice(0, 299)}…` : sentence);
}

export function entryFrom(
  issue: { ref: string; url: string; title: string; labels: string[] },
  validation: Validation,
  config: Config,
  recommendation: { note: string; by: string },
): ReadingEntry {
  const summaryText = answerFor("summary", validation.roles, validation.parsed)?.text ?? "";
  return {
    ref: issue.ref,
    url: issue.url,
    // Stored neutralized: the entry's JSON sits in the list's body too.
    title: inert(issue.title),
    date: validation.timeline.startedAt === undefined ? null : new Date(validation.timeline.startedAt).toISOString().slice(0, 10),
    severity: validation.severity,
    ttdSeconds: validation.metrics.ttd.seconds,
    ttrSeconds: validation.metrics.ttr.seconds,
    summary: firstSentence(summaryText),
    reasons: reasonsFromLabels(config, issue.labels),
    note: inert(recommendation.note),
    by: recommendation.by,
  };
}

/** Newest incident first, then by reference for a stable order. */
export function sortEntries(entries: ReadingEntry[]): ReadingEntry[] {
  return [...entries].sort((a, b) => (b.date ?? "").localeCompare(a.date ?? "") || a.ref.localeCompare(b.ref));
}

function renderEntry(entry: ReadingEntry, config: Config, language: Language): string {
  const m = messagesOf(readingListMessages, language);
  const facts = [
    entry.date === null ? m.dateUnknown : entryDate(entry.date, language),
    entry.severity,
    entry.ttdSeconds === null ? null : `TTD ${formatDuration(entry.ttdSeconds, language)}`,
    entry.ttrSeconds === null ? null : `TTR ${formatDuration(entry.ttrSeconds, language)}`,
  ].filter(Boolean);
  const others = entry.reasons.slice(1).map((r) => reasonDescription(config, r, language));
  const lines = [
    `${ENTRY_MARKER}${hiddenJson(entry)} -->`,
    `- **[${escapeLink(inert(entry.title))}](${entry.url})** — ${facts.join(" · ")}`,
  ];
  if (entry.summary) lines.push(`  ${entry.summary}`);
  const credit = [
    entry.note ? `_${inert(entry.note.replace(/[\r\n]+/g, " ").replace(/_/g, "\\_"))}_` : "",
    entry.by ? m.recommendedBy(entry.by) : "",
    others.length > 0 ? m.alsoFor(others) : "",
  ].filter(Boolean);
  if (credit.length > 0) lines.push(`  ${credit.join(" — ")}`);
  return lines.join("\n");
}

export function escapeLink(text: string): string {
  return text.replace(/[[\]]/g, "\\$&");
}

export interface ReadingPage {
  number: number;
  body: string;
}

/**
 * The list's pages, entries grouped by reason (a plain recommendation last),
 * newest first. Page 1 also carries the state and links to the other pages.
 * `language`: that of the config of the list's repository (default: `config`'s).
 */
export function renderReadingList(
  entries: ReadingEntry[],
  state: ReadingState,
  config: Config,
  pageRef: (page: number) => string,
  language: Language = config.language,
): ReadingPage[] {
  const m = messagesOf(readingListMessages, language);
  const groups: { title: string; entries: ReadingEntry[] }[] = [
    ...Object.keys(config.reading_list.reasons).map((key) => ({
      title: m.reasonGroup(reasonDescription(config, key, language), reasonLabel(config, key)),
      entries: sortEntries(entries.filter((e) => e.reasons[0] === key)),
    })),
    { title: m.plainGroup, entries: sortEntries(entries.filter((e) => e.reasons.length === 0)) },
  ].filter((g) => g.entries.length > 0);

  const blocks: string[] = [];
  for (const group of groups) {
    blocks.push(`### ${group.title}`);
    for (const entry of group.entries) blocks.push(renderEntry(entry, config, language));
  }
  const heldBack = state.heldBack?.length ?? 0;
  const intro = m.intro(entries.length, config.reading_list.label, heldBack > 0 ? messagesOf(security, language).heldBack(heldBack, "reading_list.allow_public") : null);
  const stateLine = `${STATE_MARKER}${hiddenJson(state)} -->`;

  const pages: string[][] = [[]];
  let size = intro.length + stateLine.length + 500;
  for (const block of blocks) {
    if (size + block.length + 2 > PAGE_LIMIT && pages[pages.length - 1]!.length > 0) {
      pages.push([]);
      size = 500;
    }
    pages[pages.length - 1]!.push(block);
    size += block.length + 2;
  }
  return pages.map((content, i) => {
    const number = i + 1;
    const header = [pageMarker(number)];
    if (number === 1) {
      header.push(intro);
      if (pages.length > 1) header.push("", m.pages(pages.map((_, p) => (p === 0 ? m.thisPage : `[${p + 1}](${pageRef(p + 1)})`))));
    } else header.push(m.pageOf(number, pageRef(1)));
    const body = [...header, "", ...(content.length > 0 ? content : [m.empty]), ...(number === 1 ? ["", stateLine] : [])];
    return { number, body: body.join("\n\n").replace(/\n{3,}/g, "\n\n") };
  });
}

/** The hidden first line of page `number`. */
export function pageMarker(number: number): string {
  return `${PAGE_MARKER}${number} -->`;
}

/** The page issues' titles: `Postmortem reading list`, `Postmortem reading list (page 2)`. */
export function pageTitle(number: number, language: Language): string {
  const m = messagesOf(readingListMessages, language);
  return number === 1 ? m.title : m.pageTitle(m.title, number);
}

/** The body of a page no longer needed (closed, kept for its links). */
export function stalePageBody(number: number, firstUrl: string, language: Language): string {
  return `${pageMarker(number)}\n\n${messagesOf(readingListMessages, language).stalePage(firstUrl)}`;
}

export function pageNumber(body: string | null | undefined): number | null {
  if (!body?.startsWith(PAGE_MARKER)) return null;
  const n = Number.parseInt(body.slice(PAGE_MARKER.length), 10);
  return Number.isFinite(n) ? n : null;
}

/** Entries written in a page's body, by their hidden markers. */
export function readEntries(body: string): ReadingEntry[] {
  // Only markers at line starts: the app writes user text after `- ` or indented, never there.
  return markersAtLineStart(body, ENTRY_MARKER).flatMap((payload) => {
    const entry = entryShape.safeParse(parseJson(payload));
    // A hand-edited entry is dropped; the next full rebuild restores it.
    return entry.success ? [entry.data] : [];
  });
}

export function readReadingState(body: string): ReadingState {
  const payload = lastMarkerAtLineStart(body, STATE_MARKER);
  const state = stateShape.safeParse(payload === null ? undefined : parseJson(payload));
  return state.success ? state.data : { handedOut: {} };
}

const entryShape = z.object({
  ref: z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+#\d+$/),
  url: z.string(),
  title: z.string(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  severity: z.string().nullable(),
  ttdSeconds: z.number().nullable(),
  ttrSeconds: z.number().nullable(),
  summary: z.string(),
  reasons: z.array(z.string()),
  note: z.string(),
  by: z.string(),
}) satisfies z.ZodType<ReadingEntry>;

const stateShape = z.object({ handedOut: z.record(z.string(), z.array(z.string())), heldBack: z.array(z.string()).optional() }) satisfies z.ZodType<ReadingState>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Picks `size` entries for a reading session: round-robin over the reasons so
 * each is represented, newest first, preferring what none of `people` got before.
 */
export function pickSession(entries: ReadingEntry[], state: ReadingState, people: string[], size: number, config: Config): ReadingEntry[] {
  const seen = new Set(people.flatMap((p) => state.handedOut[p.toLowerCase()] ?? []));
  const fresh = (e: ReadingEntry) => !seen.has(e.ref);
  const queues = [...Object.keys(config.reading_list.reasons), ""].map((reason) => {
    const group = sortEntries(entries.filter((e) => (e.reasons[0] ?? "") === reason));
    return [...group.filter(fresh), ...group.filter((e) => !fresh(e))];
  });
  const picked: ReadingEntry[] = [];
  // First pass takes only fresh entries, the second fills up with repeats if the list is short.
  for (const allowRepeat of [false, true]) {
    let progressed = true;
    while (picked.length < size && progressed) {
      progressed = false;
      for (const queue of queues) {
        const index = queue.findIndex((e) => !picked.includes(e) && (allowRepeat || fresh(e)));
        if (index < 0 || picked.length >= size) continue;
        picked.push(queue[index]!);
        progressed = true;
      }
    }
  }
  return picked;
}

/** A reading-session issue; `language`: that of the config of the list's repository (default: `config`'s). */
export function renderSession(picked: ReadingEntry[], people: string[], date: string, config: Config, language: Language = config.language): { title: string; body: string } {
  const m = messagesOf(readingListMessages, language);
  return {
    title: m.sessionTitle(entryDate(date, language)),
    body: [
      m.sessionWelcome(people),
      "",
      ...picked.map((e) =>
        m.sessionItem(
          `[${escapeLink(inert(e.title))}](${e.url})`,
          e.reasons.map((r) => reasonDescription(config, r, language)),
          e.date ? entryDate(e.date, language) : null,
        ),
      ),
      "",
      m.sessionTip,
    ].join("\n"),
  };
}
