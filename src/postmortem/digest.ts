import { DateTime } from "luxon";
import { WEEKDAYS, type Config } from "../config/schema.js";
import { formatDuration } from "../i18n/format.js";
import { messagesOf } from "../i18n/index.js";
import { digest as catalog } from "../i18n/messages/digest.js";
import { definitions } from "./metrics.js";
import { escapeLink } from "./reading-list.js";
import { neutralizeMentions, quote } from "./text.js";

/**
 * The sharing-meeting digest: one issue per meeting with what was published since the last one,
 * follow-ups that became overdue, and one pick from the archive. Pure: src/features/digest.ts
 * reads the postmortems and earlier digests, this decides the meeting and the text.
 */

export type Weekday = (typeof WEEKDAYS)[number];
export type Cadence = "weekly" | "biweekly" | "monthly";

/** Finds a digest issue; its state follows on the same line. */
export const DIGEST_MARKER = "<!-- postmortem-bot:digest ";

export interface Meeting {
  /** The meeting this digest is for: the latest meeting day on or before today (ISO date, in the zone). */
  date: string;
  /** The meeting before it. */
  previous: string;
}

/**
 * The latest meeting on or before `now` in `zone`, and the one before. Weekly: every `weekday`.
 * Biweekly: the `weekday` of even ISO weeks. Monthly: the first `weekday` of each month.
 */
export function meetingOf(now: Date, zone: string, cadence: Cadence, weekday: Weekday): Meeting {
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  const target = WEEKDAYS.indexOf(weekday) + 1;
  const iso = (d: DateTime) => d.toISODate()!;
  const firstOf = (month: DateTime) => {
    const start = month.startOf("month");
    return start.plus({ days: (target - start.weekday + 7) % 7 });
  };
  if (cadence === "monthly") {
    let date = firstOf(today);
    if (date > today) date = firstOf(today.minus({ months: 1 }));
    return { date: iso(date), previous: iso(firstOf(date.minus({ months: 1 }))) };
  }
  let date = today.minus({ days: (today.weekday - target + 7) % 7 });
  if (cadence === "biweekly" && date.weekNumber % 2 === 1) date = date.minus({ days: 7 });
  return { date: iso(date), previous: iso(date.minus({ days: cadence === "biweekly" ? 14 : 7 })) };
}

/** A postmortem as the digest shows it. */
export interface DigestPostmortem {
  ref: string;
  title: string;
  url: string;
  /** ISO time the issue was opened. */
  createdAt: string;
  severity: string | null;
  ttdSeconds: number | null;
  ttrSeconds: number | null;
  /** Epoch ms the impact started, for anniversaries. */
  startedAt: number | null;
  firstSentence: string;
  openFollowUps: Array<{ ref: string; text: string }>;
  published: boolean;
  recommended: boolean;
}

export interface OverdueFollowUp {
  title: string;
  url: string;
  due: string;
  owner: string;
}

/** The digest's hidden state: which meeting, what it listed and picked (later digests leave those out). */
export interface DigestState {
  v: 1;
  date: string;
  listed: string[];
  picked: string | null;
}

export function readDigestState(body: string | null | undefined): DigestState | null {
  if (!body?.startsWith(DIGEST_MARKER)) return null;
  const end = body.indexOf(" -->");
  try {
    const state = JSON.parse(body.slice(DIGEST_MARKER.length, end)) as Partial<DigestState>;
    if (state.v !== 1 || typeof state.date !== "string" || !Array.isArray(state.listed)) return null;
    return { v: 1, date: state.date, listed: state.listed.map(String), picked: typeof state.picked === "string" ? state.picked : null };
  } catch {
    return null;
  }
}

/** Postmortems published this long before a meeting at most are listed (the first digest does not list all history). */
const LOOK_BACK_DAYS = 180;

export interface DigestInput {
  meeting: Meeting;
  postmortems: DigestPostmortem[];
  overdue: OverdueFollowUp[];
  /** The states of the digests of earlier meetings. */
  earlier: DigestState[];
  config: Config;
}

export function composeDigest({ meeting, postmortems, overdue, earlier, config }: DigestInput): { title: string; body: string; state: DigestState } {
  const zone = config.timezone;
  const language = config.language;
  const m = messagesOf(catalog, language);
  const listedBefore = new Set(earlier.filter((d) => d.date < meeting.date).flatMap((d) => d.listed));
  const pickedBefore = new Set(earlier.filter((d) => d.date < meeting.date).flatMap((d) => (d.picked ? [d.picked] : [])));
  const since = DateTime.fromISO(meeting.date, { zone }).minus({ days: LOOK_BACK_DAYS }).toISO()!;
  const published = postmortems
    .filter((p) => p.published && !listedBefore.has(p.ref) && p.createdAt >= since)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.ref.localeCompare(b.ref));
  const becameOverdue = overdue.filter((f) => f.due > meeting.previous && f.due <= meeting.date).sort((a, b) => a.due.localeCompare(b.due) || a.url.localeCompare(b.url));
  const pick = archivePick(postmortems, meeting, zone, pickedBefore, new Set(published.map((p) => p.ref)));

  const defs = definitions(config.metrics.ttr_from, config.language);
  const lines = [`${DIGEST_MARKER}${JSON.stringify({ v: 1, date: meeting.date, listed: published.map((p) => p.ref), picked: pick?.postmortem.ref ?? null }).replace(/--/g, "-\\u002d")} -->`];
  lines.push(m.intro(meeting.date, meeting.previous), "", m.published(published.length), "");
  if (published.length === 0) lines.push(m.nonePublished);
  for (const p of published) {
    const duration = (s: number | null) => (s === null ? "—" : formatDuration(s, language));
    lines.push(`- ${link(p)} — ${m.facts(p.severity ? neutralizeMentions(p.severity) : "—", duration(p.ttdSeconds), duration(p.ttrSeconds))}`);
    if (p.firstSentence) lines.push(`  > ${p.firstSentence}`);
    if (p.openFollowUps.length === 0) lines.push(`  - ${m.noOpenFollowUps}`);
    else lines.push(`  - ${m.openFollowUps} ${p.openFollowUps.slice(0, 10).map((f) => `${f.ref} ${quote(f.text, 80)}`).join("; ")}`);
  }
  if (published.length > 0) lines.push("", m.definitions(defs.TTD, defs.TTR));
  lines.push("", m.overdue, "");
  if (becameOverdue.length === 0) lines.push(m.noOverdue);
  for (const f of becameOverdue) lines.push(`- [${escapeLink(neutralizeMentions(f.title))}](${f.url}) — ${m.due(f.due, neutralizeMentions(f.owner))}`);
  lines.push("", m.archive, "");
  if (!pick) lines.push(m.noArchive);
  else lines.push(`- ${link(pick.postmortem)} — ${pick.anniversary ? m.anniversary(pick.anniversary) : m.unread}`);
  return { title: m.title(meeting.date), body: lines.join("\n"), state: { v: 1, date: meeting.date, listed: published.map((p) => p.ref), picked: pick?.postmortem.ref ?? null } };
}

function link(p: Pick<DigestPostmortem, "title" | "url" | "ref">): string {
  return `[${escapeLink(neutralizeMentions(p.title.replace(/[\r\n]+/g, " ")))}](${p.url}) (${quote(p.ref)})`;
}

/**
 * One pick: an incident of an earlier year whose day falls in this meeting's period (the oldest
 * first), else the oldest recommended postmortem no earlier digest picked. Never one listed now.
 */
function archivePick(postmortems: DigestPostmortem[], meeting: Meeting, zone: string, pickedBefore: Set<string>, listedNow: Set<string>): { postmortem: DigestPostmortem; anniversary: string | null } | null {
  const candidates = postmortems.filter((p) => p.published && !pickedBefore.has(p.ref) && !listedNow.has(p.ref));
  const thisYear = DateTime.fromISO(meeting.date, { zone }).year;
  const anniversaries = candidates
    .flatMap((p) => {
      if (p.startedAt === null) return [];
      const started = DateTime.fromMillis(p.startedAt, { zone });
      if (started.year >= thisYear) return [];
      const sameDay = started.set({ year: thisYear }).toISODate()!;
      return sameDay > meeting.previous && sameDay <= meeting.date ? [{ postmortem: p, anniversary: started.toISODate()! }] : [];
    })
    .sort((a, b) => a.anniversary.localeCompare(b.anniversary));
  if (anniversaries[0]) return anniversaries[0];
  const unread = candidates.filter((p) => p.recommended).sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  return unread ? { postmortem: unread, anniversary: null } : null;
}
