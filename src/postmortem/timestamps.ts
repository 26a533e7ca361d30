import { DateTime, FixedOffsetZone, type Zone } from "luxon";
import type { Language } from "../i18n/index.js";
import { messagesOf } from "../i18n/index.js";
import { timestampMessages } from "../i18n/messages/timestamps.js";
import { quote } from "./text.js";
import { AMBIGUOUS_ABBREVIATIONS, ianaZone, ZONE_ABBREVIATIONS, ZONE_WORDS } from "./zones.js";

export type TimestampErrorCode =
  | "timestamp-format"
  | "timestamp-date-order"
  | "timestamp-impossible"
  | "timestamp-unknown-zone"
  | "timestamp-ambiguous-zone"
  | "timestamp-nonexistent";

export interface Instant {
  ok: true;
  epochMs: number;
  iso: string;
  zone: string;
  /** No zone was written: the answer was read in the default zone. */
  zoneAssumed: boolean;
}

export type ParsedTimestamp = Instant | { ok: false; code: TimestampErrorCode; reason: string };

/** The accepted shapes, for the hint after a problem. */
export function timestampFormats(language: Language): string {
  return messagesOf(timestampMessages, language).formats;
}

// One grammar for every accepted shape, read after NFKC (full-width digits, colons and parentheses become ASCII).
const DATE = String.raw`(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})/(\d{1,2})/(\d{1,2})|(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日)`;
const WEEKDAY = String.raw`(?: ?\((?:[月火水木金土日](?:曜日?)?|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?)\))?`;
const TIME = String.raw`(?:(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?|(\d{1,2}) ?時 ?(?:(\d{1,2}) ?分 ?(?:(\d{1,2}) ?秒)?)?)`;
const ZONE = String.raw`(?: ?\(([^()]{1,40})\)| ([^\s()]{1,40})|(Z|[+-]\d{2}(?::?\d{2})?))?`;
const DATE_TIME = new RegExp(`^${DATE}${WEEKDAY}(?:[T ]|(?<=[日)]))${TIME}${ZONE}$`, "i");
const TIME_ONLY = new RegExp(`^${TIME}${ZONE}$`, "i");
const DATE_ONLY = new RegExp(`^${DATE}${WEEKDAY}$`, "i");
const YEAR_LAST = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)/;
const NO_YEAR = /^\d{1,2}[/-]\d{1,2}(?![\d/.-])/;
const NUMERIC_OFFSET = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;
/** Longer answers are not one timestamp; refusing them early keeps every reader linear. */
const MAX_LENGTH = 120;

/** A timestamp as written, before a zone is applied. */
interface Written {
  date: { year: number; month: number; day: number } | null;
  time: { hour: number; minute: number; second: number; millisecond: number };
  zone: string | null;
}

/** Answers are compared in one form: full-width digits, colons and parentheses as ASCII, single spaces. */
export function normalizeWritten(input: string): string {
  return input.normalize("NFKC").replace(/\s+/g, " ").trim();
}

/**
 * Reads one timestamp answer: a date (`2026-11-20`, `2026/11/20`,
 * `2026年11月20日`, optionally with a weekday in parentheses), a time
 * (`14:03[:ss]`, `14時03分`), after `T`, a space or nothing after `日`; then a
 * zone (IANA name, `UTC`, an offset, an unambiguous abbreviation, `日本時間`),
 * bare or in parentheses. A time without a zone is read in `defaultZone`.
 * Year-last dates are refused: `11/20/2026` and `20/11/2026` mean different days
 * in different countries.
 */
export function parseTimestamp(input: string, defaultZone: string, language: Language = "en"): ParsedTimestamp {
  const m = messagesOf(timestampMessages, language);
  const text = normalizeWritten(input);
  const written = readWritten(text, m);
  if (!written.ok) return written;
  const { date, zone } = written.value;
  if (!date) return { ok: false, code: "timestamp-format", reason: m.notATimestamp(quote(text)) };
  return resolve(text, { ...written.value, date }, zone ?? defaultZone, zone === null, m);
}

export type TimeRangeErrorCode = TimestampErrorCode | "time-range-format" | "time-range-order";

export type ParsedTimeRange = { ok: true; start: Instant; end: Instant } | { ok: false; code: TimeRangeErrorCode; reason: string };

const RANGE_SEPARATOR = /\s*(?:[〜~–—]|から)\s*|\s+(?:-|to|until|through)\s+|(?<=\d:\d\d)-(?=\d)/i;

/**
 * Reads one answer holding a window: `2026-09-14 02:11–03:04 UTC`,
 * `2026-09-14 02:11 UTC to 2026-09-14 03:04 UTC`, `2026/11/20 14:03〜15:20 (JST)`.
 * An end written as a time alone takes the start's date; a zone written once
 * applies to both ends. An end that is earlier than the start on the same date
 * is refused unless its date is written: a window past midnight says so.
 */
export function parseTimeRange(input: string, defaultZone: string, language: Language = "en"): ParsedTimeRange {
  const m = messagesOf(timestampMessages, language);
  const text = normalizeWritten(input).replace(/ ?まで$/, "");
  const separator = text.length > 2 * MAX_LENGTH ? null : RANGE_SEPARATOR.exec(text);
  if (!separator) return { ok: false, code: "time-range-format", reason: m.notARange(quote(text)) };
  const startText = text.slice(0, separator.index);
  const endText = text.slice(separator.index + separator[0].length);
  const start = readWritten(startText, m);
  if (!start.ok) return { ...start, reason: m.rangeStart(start.reason) };
  if (!start.value.date) return { ok: false, code: "timestamp-format", reason: m.rangeStart(m.notATimestamp(quote(startText))) };
  const end = readWritten(endText, m);
  if (!end.ok) return { ...end, reason: m.rangeEnd(end.reason) };
  const zone = start.value.zone ?? end.value.zone;
  const endZone = end.value.zone ?? start.value.zone;
  const startDate = start.value.date;
  if (!end.value.date && clockOf(end.value.time) < clockOf(start.value.time)) {
    return { ok: false, code: "time-range-order", reason: m.rangeEndNeedsDate(quote(text)) };
  }
  const from = resolve(startText, { ...start.value, date: startDate }, zone ?? defaultZone, zone === null, m);
  if (!from.ok) return { ...from, reason: m.rangeStart(from.reason) };
  const to = resolve(endText, { ...end.value, date: end.value.date ?? startDate }, endZone ?? defaultZone, endZone === null, m);
  if (!to.ok) return { ...to, reason: m.rangeEnd(to.reason) };
  if (to.epochMs < from.epochMs) return { ok: false, code: "time-range-order", reason: m.rangeEndsEarlier(quote(text)) };
  return { ok: true, start: from, end: to };
}

type Catalog = (typeof timestampMessages.byLanguage)["en"];
type Failure = { ok: false; code: TimestampErrorCode; reason: string };

function readWritten(text: string, m: Catalog): { ok: true; value: Written } | Failure {
  const full = text.length > MAX_LENGTH ? null : DATE_TIME.exec(text);
  if (full) {
    const [y1, mo1, d1, y2, mo2, d2, y3, mo3, d3] = full.slice(1, 10);
    const date = { year: Number(y1 ?? y2 ?? y3), month: Number(mo1 ?? mo2 ?? mo3), day: Number(d1 ?? d2 ?? d3) };
    return { ok: true, value: { date, ...timeAndZone(full.slice(10)) } };
  }
  const timeOnly = text.length > MAX_LENGTH ? null : TIME_ONLY.exec(text);
  if (timeOnly) return { ok: true, value: { date: null, ...timeAndZone(timeOnly.slice(1)) } };
  const shown = quote(text);
  if (YEAR_LAST.test(text)) return { ok: false, code: "timestamp-date-order", reason: m.yearLast(shown) };
  if (NO_YEAR.test(text)) return { ok: false, code: "timestamp-date-order", reason: m.noYear(shown) };
  if (text.length <= MAX_LENGTH && DATE_ONLY.test(text)) return { ok: false, code: "timestamp-format", reason: m.dateOnly(shown) };
  return { ok: false, code: "timestamp-format", reason: m.notATimestamp(shown) };
}

/** The TIME and ZONE groups of a match, from the hour on. */
function timeAndZone(groups: (string | undefined)[]): Omit<Written, "date"> {
  const [hour, minute, second, fraction, jaHour, jaMinute, jaSecond, parenZone, bareZone, offset] = groups;
  return {
    time: {
      hour: Number(hour ?? jaHour),
      minute: Number(minute ?? jaMinute ?? 0),
      second: Number(second ?? jaSecond ?? 0),
      millisecond: fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0,
    },
    zone: (parenZone ?? bareZone ?? offset)?.trim() ?? null,
  };
}

function clockOf(time: Written["time"]): number {
  return ((time.hour * 60 + time.minute) * 60 + time.second) * 1000 + time.millisecond;
}

function resolve(text: string, written: Written & { date: NonNullable<Written["date"]> }, zoneToken: string, zoneAssumed: boolean, m: Catalog): ParsedTimestamp {
  const zone = resolveZone(zoneToken, m);
  if (!zone.ok) return zone;
  const parsed = DateTime.fromObject({ ...written.date, ...written.time }, { zone: zone.zone });
  if (!parsed.isValid) return impossible(text, parsed.invalidExplanation, m);
  const { year, month, day, hour, minute, second } = parsed;
  const w = { ...written.date, ...written.time };
  if (year !== w.year || month !== w.month || day !== w.day || hour !== w.hour || minute !== w.minute || second !== w.second) {
    const date = `${w.year}-${pad(w.month)}-${pad(w.day)}`;
    return { ok: false, code: "timestamp-nonexistent", reason: m.nonexistent(date, `${pad(w.hour)}:${pad(w.minute)}`, zone.zone.name) };
  }
  return { ok: true, epochMs: parsed.toMillis(), iso: parsed.toISO({ suppressMilliseconds: true }) ?? "", zone: zone.zone.name, zoneAssumed };
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

function resolveZone(token: string, m: Catalog): { ok: true; zone: Zone } | Failure {
  const upper = (ZONE_WORDS[token] ?? token).toUpperCase();
  const abbreviation = ZONE_ABBREVIATIONS[upper];
  if (abbreviation) return { ok: true, zone: abbreviation === "UTC" ? FixedOffsetZone.utcInstance : zoneFromOffsetName(abbreviation) };
  const ambiguous = AMBIGUOUS_ABBREVIATIONS[upper];
  if (ambiguous) return { ok: false, code: "timestamp-ambiguous-zone", reason: m.ambiguousZone(quote(token), ambiguous) };
  const offset = NUMERIC_OFFSET.exec(token);
  if (offset) {
    const minutes = (Number(offset[2]) * 60 + Number(offset[3] ?? 0)) * (offset[1] === "-" ? -1 : 1);
    if (Math.abs(minutes) <= 18 * 60) return { ok: true, zone: FixedOffsetZone.instance(minutes) };
  }
  const iana = ianaZone(token);
  if (iana) return { ok: true, zone: iana };
  return { ok: false, code: "timestamp-unknown-zone", reason: m.unknownZone(quote(token)) };
}

function zoneFromOffsetName(name: string): Zone {
  const zone = FixedOffsetZone.parseSpecifier(name);
  if (!zone) throw new Error(`bad built-in zone ${name}`);
  return zone;
}

function impossible(text: string, explanation: string | null, m: Catalog): Failure {
  const range = /(-?\d+) \(of type number\) as an? (\w+)/.exec(explanation ?? "");
  const reason = range ? m.outOfRange(quote(text), range[2]!, Number(range[1])) : m.impossible(quote(text));
  return { ok: false, code: "timestamp-impossible", reason };
}
