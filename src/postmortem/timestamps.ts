import { DateTime, FixedOffsetZone, type Zone } from "luxon";
import { quote } from "./text.js";
import { AMBIGUOUS_ABBREVIATIONS, ianaZone, ZONE_ABBREVIATIONS } from "./zones.js";

export type TimestampErrorCode =
  | "timestamp-format"
  | "timestamp-impossible"
  | "timestamp-unknown-zone"
  | "timestamp-ambiguous-zone"
  | "timestamp-nonexistent";

export type ParsedTimestamp =
  | { ok: true; epochMs: number; iso: string; zone: string; zoneAssumed: boolean }
  | { ok: false; code: TimestampErrorCode; reason: string };

export const TIMESTAMP_FORMATS =
  "`2026-11-20T14:03:00+09:00`, `2026-11-20T05:03Z`, or `2026-11-20 14:03` followed by a zone such as `Asia/Tokyo`, `UTC` or `JST`";

const ISO_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const LOCAL_WITH_ZONE = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)(?:[ \t]+(\S+))?$/;
const NUMERIC_OFFSET = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * Reads one timestamp answer. Accepted: ISO 8601 with an offset or `Z`; or
 * `YYYY-MM-DD HH:mm[:ss]` followed by an IANA zone, `UTC`, a numeric offset or
 * an unambiguous abbreviation; a local time alone is read in `defaultZone`.
 */
export function parseTimestamp(input: string, defaultZone: string): ParsedTimestamp {
  const text = input.trim().replace(/\s+/g, " ");
  const iso = ISO_WITH_OFFSET.exec(text);
  if (iso) {
    const parsed = DateTime.fromISO(`${iso[1]}T${iso[2]}${iso[3]!.toUpperCase()}`, { setZone: true });
    if (!parsed.isValid) return impossible(text, parsed.invalidExplanation);
    return ok(parsed, parsed.zone.name, false);
  }
  const local = LOCAL_WITH_ZONE.exec(text);
  if (!local) {
    return { ok: false, code: "timestamp-format", reason: `${quote(text)} is not a timestamp this app reads` };
  }
  const [, date, time, zoneToken] = local as unknown as [string, string, string, string | undefined];
  const zone = zoneToken === undefined ? resolveZone(defaultZone) : resolveZone(zoneToken);
  if (!zone.ok) return zone.error;
  const clock = time.length === 4 ? `0${time}` : time;
  const parsed = DateTime.fromISO(`${date}T${clock}`, { zone: zone.zone });
  if (!parsed.isValid) return impossible(text, parsed.invalidExplanation);
  const written = `${date}T${clock.length === 5 ? `${clock}:00` : clock}`;
  if (parsed.toFormat("yyyy-MM-dd'T'HH:mm:ss") !== written) {
    return {
      ok: false,
      code: "timestamp-nonexistent",
      reason: `${date} ${time} does not exist in ${zone.zone.name}: the clocks skipped it (daylight saving time)`,
    };
  }
  return ok(parsed, zone.zone.name, zoneToken === undefined);
}

function resolveZone(token: string): { ok: true; zone: Zone } | { ok: false; error: ParsedTimestamp } {
  const upper = token.toUpperCase();
  const abbreviation = ZONE_ABBREVIATIONS[upper];
  if (abbreviation) return { ok: true, zone: abbreviation === "UTC" ? FixedOffsetZone.utcInstance : zoneFromOffsetName(abbreviation) };
  const ambiguous = AMBIGUOUS_ABBREVIATIONS[upper];
  if (ambiguous) {
    return {
      ok: false,
      error: { ok: false, code: "timestamp-ambiguous-zone", reason: `${quote(token)} is ambiguous: it can mean ${ambiguous}` },
    };
  }
  const offset = NUMERIC_OFFSET.exec(token);
  if (offset) {
    const minutes = (Number(offset[2]) * 60 + Number(offset[3] ?? 0)) * (offset[1] === "-" ? -1 : 1);
    if (Math.abs(minutes) <= 18 * 60) return { ok: true, zone: FixedOffsetZone.instance(minutes) };
  }
  const iana = ianaZone(token);
  if (iana) return { ok: true, zone: iana };
  return {
    ok: false,
    error: { ok: false, code: "timestamp-unknown-zone", reason: `${quote(token)} is not a time zone this app knows` },
  };
}

function zoneFromOffsetName(name: string): Zone {
  const zone = FixedOffsetZone.parseSpecifier(name);
  if (!zone) throw new Error(`bad built-in zone ${name}`);
  return zone;
}

function ok(parsed: DateTime, zone: string, zoneAssumed: boolean): ParsedTimestamp {
  return { ok: true, epochMs: parsed.toMillis(), iso: parsed.toISO({ suppressMilliseconds: true }) ?? "", zone, zoneAssumed };
}

function impossible(text: string, explanation: string | null): ParsedTimestamp {
  const range = /(-?\d+) \(of type number\) as an? (\w+)/.exec(explanation ?? "");
  const detail = range ? `${range[2]} ${range[1]} is out of range` : "invalid date";
  return { ok: false, code: "timestamp-impossible", reason: `${quote(text)} is not a real date or time (${detail})` };
}
