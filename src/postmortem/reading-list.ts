import type { Config } from "../config/schema.js";
import { answerFor, type Validation } from "./validate.js";
import { formatDuration } from "./metrics.js";
import { z } from "zod";
import { messagesOf } from "../i18n/index.js";
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

export const READING_LIST_TITLE = "Postmortem reading list";
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

function renderEntry(entry: ReadingEntry, config: Config): string {
  const facts = [
    entry.date ?? "date unknown",
    entry.severity,
    entry.ttdSeconds === null ? null : `TTD ${formatDuration(entry.ttdSeconds)}`,
    entry.ttrSeconds === null ? null : `TTR ${formatDuration(entry.ttrSeconds)}`,
  ].filter(Boolean);
  const others = entry.reasons.slice(1).map((r) => config.reading_list.reasons[r] ?? r);
  const lines = [
    `${ENTRY_MARKER}${hiddenJson(entry)} -->`,
    `- **[${escapeLink(inert(entry.title))}](${entry.url})** — ${facts.join(" · ")}`,
  ];
  if (entry.summary) lines.push(`  ${entry.summary}`);
  const credit = [
    entry.note ? `_${inert(entry.note.replace(/[\r\n]+/g, " ").replace(/_/g, "\\_"))}_` : "",
    entry.by ? `recommended by ${entry.by}` : "",
    others.length > 0 ? `also: ${others.join(", ")}` : "",
  ].filter(Boolean);
  if (credit.length > 0) lines.push(`  ${credit.join(" — ")}`);
  return lines.join("\n");
}

function escapeLink(text: string): string {
  return text.replace(/[[\]]/g, "\\$&");
}

export interface ReadingPage {
  number: number;
  body: string;
}

/**
 * The list's pages, entries grouped by reason (a plain recommendation last),
 * newest first. Page 1 also carries the state and links to the other pages.
 */
export function renderReadingList(entries: ReadingEntry[], state: ReadingState, config: Config, pageRef: (page: number) => string): ReadingPage[] {
  const groups: { title: string; entries: ReadingEntry[] }[] = [
    ...Object.entries(config.reading_list.reasons).map(([key, description]) => ({
      title: `${description} (\`${reasonLabel(config, key)}\`)`,
      entries: sortEntries(entries.filter((e) => e.reasons[0] === key)),
    })),
    { title: "Recommended", entries: sortEntries(entries.filter((e) => e.reasons.length === 0)) },
  ].filter((g) => g.entries.length > 0);

  const blocks: string[] = [];
  for (const group of groups) {
    blocks.push(`### ${group.title}`);
    for (const entry of group.entries) blocks.push(renderEntry(entry, config));
  }
  const heldBack = state.heldBack?.length ?? 0;
  const intro = [
    `Postmortems recommended for onboarding reading sessions: ${entries.length} in all. Newest incident first.`,
    `Recommend one with the \`${config.reading_list.label}\` label (and \`${config.reading_list.label}: <reason>\`), or with \`/postmortem recommend <reason> [note]\`. This list is kept by postmortem-bot; edits to it are overwritten.`,
    ...(heldBack > 0 ? [messagesOf(security, config.language).heldBack(heldBack, "reading_list.allow_public")] : []),
  ].join(" ");
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
    const header = [`${PAGE_MARKER}${number} -->`];
    if (number === 1) {
      header.push(intro);
      if (pages.length > 1) header.push("", `Pages: ${pages.map((_, p) => (p === 0 ? "1 (this one)" : `[${p + 1}](${pageRef(p + 1)})`)).join(" · ")}`);
    } else header.push(`Page ${number} of the [postmortem reading list](${pageRef(1)}).`);
    const body = [...header, "", ...(content.length > 0 ? content : ["_No postmortem is recommended yet._"]), ...(number === 1 ? ["", stateLine] : [])];
    return { number, body: body.join("\n\n").replace(/\n{3,}/g, "\n\n") };
  });
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

export function renderSession(picked: ReadingEntry[], people: string[], date: string, config: Config): { title: string; body: string } {
  return {
    title: `Postmortem reading session — ${date}`,
    body: [
      `Welcome! Read these postmortems before the session${people.length > 0 ? ` (for ${people.join(", ")})` : ""}. Tick each one when you have read it.`,
      "",
      ...picked.map((e) => `- [ ] [${escapeLink(inert(e.title))}](${e.url}) — ${e.reasons.map((r) => config.reading_list.reasons[r] ?? r).join(", ") || "recommended"}${e.date ? `, ${e.date}` : ""}`),
      "",
      "While reading, look for: how the incident was detected, what slowed the response, and which action items changed the system.",
    ].join("\n"),
  };
}
