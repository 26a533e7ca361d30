import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { parseStatedDuration } from "../../src/postmortem/durations.js";
import { parseTimeRange, parseTimestamp, timestampFormats } from "../../src/postmortem/timestamps.js";
import { runs } from "../helpers/fuzz.js";

const at = (text: string, zone = "UTC") => {
  const result = parseTimestamp(text, zone);
  if (!result.ok) throw new Error(`${text}: ${result.code} ${result.reason}`);
  return result;
};

describe("parseTimestamp", () => {
  it.each([
    ["2026-11-20T14:03:00+09:00", "2026-11-20T05:03:00Z"],
    ["2026-11-20T05:03Z", "2026-11-20T05:03:00Z"],
    ["2026-11-20t05:03z", "2026-11-20T05:03:00Z"],
    ["2026-11-20 14:03:00+0900", "2026-11-20T05:03:00Z"],
    ["2026-11-20 14:03 Asia/Tokyo", "2026-11-20T05:03:00Z"],
    ["2026-11-20 14:03 JST", "2026-11-20T05:03:00Z"],
    ["2026-11-20 5:03 UTC", "2026-11-20T05:03:00Z"],
    ["2026-11-20 06:03 CET", "2026-11-20T05:03:00Z"],
    ["2026-07-20 07:03 CEST", "2026-07-20T05:03:00Z"],
    ["2026-11-19 21:03:30 PST", "2026-11-20T05:03:30Z"],
    ["2026-11-20 14:03 +09:00", "2026-11-20T05:03:00Z"],
    ["2026-11-20 14:03 UTC+9", "2026-11-20T05:03:00Z"],
    ["  2026-11-20   14:03   JST ", "2026-11-20T05:03:00Z"],
  ])("reads %s", (text, utc) => {
    expect(new Date(at(text).epochMs).toISOString().replace(".000", "")).toBe(utc);
  });

  it("reads a local time in the default zone and says so", () => {
    const result = at("2026-11-20 14:03", "Asia/Tokyo");
    expect(result.zoneAssumed).toBe(true);
    expect(new Date(result.epochMs).toISOString()).toBe("2026-11-20T05:03:00.000Z");
    expect(at("2026-11-20 14:03 Asia/Tokyo").zoneAssumed).toBe(false);
  });

  it.each([
    ["yesterday afternoon", "timestamp-format"],
    ["11/20/2026 14:03", "timestamp-date-order"],
    ["2026-11-20", "timestamp-format"],
    ["2026-02-30 10:00 UTC", "timestamp-impossible"],
    ["2026-11-20T25:00Z", "timestamp-impossible"],
    ["2026-11-20 09:00 CST", "timestamp-ambiguous-zone"],
    ["2026-11-20 09:00 IST", "timestamp-ambiguous-zone"],
    ["2026-11-20 09:00 Mars/Olympus", "timestamp-unknown-zone"],
    ["2026-11-20 09:00 +25:00", "timestamp-unknown-zone"],
    ["2026-03-08 02:30 America/New_York", "timestamp-nonexistent"],
  ])("refuses %s as %s", (text, code) => {
    const result = parseTimestamp(text, "UTC");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });

  it("quotes user text without letting it mention anyone", () => {
    const result = parseTimestamp("@acme/sre said `soon`", "UTC");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).not.toMatch(/@acme/);
      expect(result.reason).toContain("@\u200bacme");
    }
  });

  it("round-trips any instant written in each accepted format (property)", () => {
    const zones = ["UTC", "Asia/Tokyo", "Europe/Berlin", "America/New_York", "Australia/Adelaide"];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 }),
        fc.constantFrom(...zones),
        (seconds, zone) => {
          const instant = DateTime.fromSeconds(seconds, { zone });
          const written = [
            instant.toISO({ suppressMilliseconds: true })!,
            instant.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            `${instant.toFormat("yyyy-MM-dd HH:mm:ss")} ${zone}`,
          ];
          for (const text of written) {
            const result = parseTimestamp(text, "UTC");
            // A wall time in a DST overlap names two instants; either reading is accepted.
            if (!result.ok) return false;
            if (text.endsWith(zone) && zone !== "UTC" && Math.abs(result.epochMs - seconds * 1000) === 3_600_000) continue;
            if (result.epochMs !== seconds * 1000) return false;
          }
          return true;
        },
      ),
      { numRuns: runs(2000) },
    );
  });

  it("never throws on arbitrary input (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.constantFrom("UTC", "Asia/Tokyo"), (text, zone) => {
        const result = parseTimestamp(text, zone);
        return result.ok ? Number.isFinite(result.epochMs) : result.reason.length > 0;
      }),
      { numRuns: runs(3000) },
    );
  });
});

const FULL_WIDTH: Record<string, string> = { ":": "：", "(": "（", ")": "）", "/": "／", " ": "\u3000" };
/** The same text as a Japanese IME writes it: full-width digits, colons, slashes, parentheses and spaces. */
const fullWidth = (text: string) => text.replace(/[0-9:()/ ]/g, (c) => (/\d/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : FULL_WIDTH[c]!));

describe("parseTimestamp: the formats people write", () => {
  it.each([
    ["2026/11/20 14:03", "Asia/Tokyo", "2026-11-20T05:03:00Z"],
    ["2026/1/5 9:03 UTC", "Asia/Tokyo", "2026-01-05T09:03:00Z"],
    ["2026年11月20日 14時15分", "Asia/Tokyo", "2026-11-20T05:15:00Z"],
    ["2026年11月20日14時15分30秒", "Asia/Tokyo", "2026-11-20T05:15:30Z"],
    ["2026年11月20日 14:15", "Asia/Tokyo", "2026-11-20T05:15:00Z"],
    ["２０２６/１１/２０ １４：０３", "Asia/Tokyo", "2026-11-20T05:03:00Z"],
    ["2026/11/20(金) 14:03", "Asia/Tokyo", "2026-11-20T05:03:00Z"],
    ["2026年11月20日(金曜日) 14時03分", "Asia/Tokyo", "2026-11-20T05:03:00Z"],
    ["2026-11-20 (Fri) 14:03 UTC", "Asia/Tokyo", "2026-11-20T14:03:00Z"],
    ["2026/11/20 14:03 (JST)", "UTC", "2026-11-20T05:03:00Z"],
    ["2026/11/20 14:03（JST）", "UTC", "2026-11-20T05:03:00Z"],
    ["2026年11月20日 14時03分（日本時間）", "UTC", "2026-11-20T05:03:00Z"],
    ["2026/11/20 05:03 (UTC)", "Asia/Tokyo", "2026-11-20T05:03:00Z"],
    ["2026/11/20 14:03 (Asia/Tokyo)", "UTC", "2026-11-20T05:03:00Z"],
    ["2026/11/20T14:03:09+09:00", "UTC", "2026-11-20T05:03:09Z"],
  ])("reads %s (default zone %s)", (text, zone, utc) => {
    expect(new Date(at(text, zone).epochMs).toISOString().replace(".000", "")).toBe(utc);
  });

  it.each([
    ["11/20/2026 14:03", "timestamp-date-order", "year first"],
    ["20/11/2026 14:03", "timestamp-date-order", "year first"],
    ["20.11.2026 14:03", "timestamp-date-order", "year first"],
    ["11/20 14:03", "timestamp-date-order", "no year"],
    ["2026/11/20", "timestamp-format", "no time of day"],
    ["2026年11月32日 10時00分", "timestamp-impossible", "day 32 is out of range"],
    ["next Tuesday, about noon", "timestamp-format", "not a timestamp"],
    ["2026/11/20 14:03 (CST)", "timestamp-ambiguous-zone", "`America/Chicago` or `Asia/Shanghai`"],
  ])("refuses %s as %s, saying why", (text, code, why) => {
    const result = parseTimestamp(text, "UTC");
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.reason).toContain(why);
  });

  it("explains in Japanese when asked", () => {
    expect(parseTimestamp("11/20/2026 14:03", "UTC", "ja")).toEqual({
      ok: false,
      code: "timestamp-date-order",
      reason: "`11/20/2026 14:03` は年が最後にあり、月と日の順が国によって異なるため読めません。年・月・日の順に `YYYY/MM/DD HH:mm` の形で書いてください",
    });
    expect(timestampFormats("ja")).toContain("2026年11月20日 14時03分");
    expect(timestampFormats("en")).toContain("`2026/11/20 14:03 (Asia/Tokyo)`");
  });

  it("round-trips any instant written in each Japanese and slash shape, also full-width (property)", () => {
    const zones = ["UTC", "Asia/Tokyo", "Europe/Berlin", "America/New_York"];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 }), fc.constantFrom(...zones), fc.boolean(), (seconds, zone, wide) => {
        const instant = DateTime.fromSeconds(seconds, { zone });
        const weekday = instant.setLocale("ja").toFormat("ccc");
        const written = [
          `${instant.toFormat("yyyy/MM/dd HH:mm:ss")} ${zone}`,
          `${instant.toFormat("yyyy/M/d")}(${weekday}) ${instant.toFormat("H:mm:ss")} (${zone})`,
          `${instant.toFormat("yyyy年M月d日 H時m分s秒")}（${zone}）`,
          `${instant.toFormat("yyyy年M月d日H:mm:ss")}(${zone})`,
          ...(zone === "Asia/Tokyo" ? [`${instant.toFormat("yyyy年M月d日 H時m分s秒")}（日本時間）`, `${instant.toFormat("yyyy/MM/dd HH:mm:ss")} (JST)`] : []),
        ];
        for (const shape of written) {
          const text = wide ? fullWidth(shape) : shape;
          const result = parseTimestamp(text, "UTC");
          if (!result.ok) return false;
          // A wall time in a DST overlap names two instants; either reading is accepted.
          if (zone !== "UTC" && zone !== "Asia/Tokyo" && Math.abs(result.epochMs - seconds * 1000) === 3_600_000) continue;
          if (result.epochMs !== seconds * 1000) return false;
        }
        return true;
      }),
      { numRuns: runs(1500) },
    );
  });
});

describe("parseTimeRange", () => {
  const range = (text: string, zone = "UTC") => {
    const result = parseTimeRange(text, zone);
    if (!result.ok) throw new Error(`${text}: ${result.code} ${result.reason}`);
    return [new Date(result.start.epochMs).toISOString(), new Date(result.end.epochMs).toISOString()];
  };

  it.each([
    ["2026-09-14 02:11–03:04 UTC", "UTC", ["2026-09-14T02:11:00.000Z", "2026-09-14T03:04:00.000Z"]],
    ["2026-09-14 02:11 UTC to 2026-09-14 03:04 UTC", "Asia/Tokyo", ["2026-09-14T02:11:00.000Z", "2026-09-14T03:04:00.000Z"]],
    ["2026/11/20 14:03〜15:20 (JST)", "UTC", ["2026-11-20T05:03:00.000Z", "2026-11-20T06:20:00.000Z"]],
    ["2026/11/20 14:03 - 15:20", "Asia/Tokyo", ["2026-11-20T05:03:00.000Z", "2026-11-20T06:20:00.000Z"]],
    ["2026年11月20日 14時03分から15時20分まで", "Asia/Tokyo", ["2026-11-20T05:03:00.000Z", "2026-11-20T06:20:00.000Z"]],
    ["２０２６/１１/２０ １４：０３～１５：２０（日本時間）", "UTC", ["2026-11-20T05:03:00.000Z", "2026-11-20T06:20:00.000Z"]],
    ["2026-09-14 23:40 – 2026-09-15 00:20", "UTC", ["2026-09-14T23:40:00.000Z", "2026-09-15T00:20:00.000Z"]],
    ["2026-09-14 02:11 JST – 2026-09-14 02:11 UTC", "UTC", ["2026-09-13T17:11:00.000Z", "2026-09-14T02:11:00.000Z"]],
  ])("reads %s (default zone %s)", (text, zone, expected) => {
    expect(range(text, zone)).toEqual(expected);
  });

  it.each([
    ["2026-09-14 23:40–00:20", "time-range-order", "write the end's date too"],
    ["2026-09-14 03:04 – 2026-09-14 02:11", "time-range-order", "ends before it starts"],
    ["2026-09-14 02:11", "time-range-format", "not a time window"],
    ["14:03 – 15:20", "timestamp-format", "its start"],
    ["2026-09-14 02:11 – soon", "timestamp-format", "its end"],
    ["2026-09-14 02:11–03:04 CST", "timestamp-ambiguous-zone", "its start"],
  ])("refuses %s as %s", (text, code, why) => {
    const result = parseTimeRange(text, "UTC");
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.reason).toContain(why);
  });

  it("round-trips any window written with both dates, or with the end's time alone on the same day (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1) / 60_000, max: Date.UTC(2030, 0, 1) / 60_000 }),
        fc.integer({ min: 0, max: 48 * 60 }),
        fc.constantFrom("UTC", "Asia/Tokyo"),
        fc.constantFrom("–", " to ", "〜", " - "),
        (startMinute, minutes, zone, separator) => {
          const start = DateTime.fromMillis(startMinute * 60_000, { zone });
          const end = start.plus({ minutes });
          const sameDay = start.toISODate() === end.toISODate();
          const endText = sameDay ? end.toFormat("HH:mm") : end.toFormat("yyyy/MM/dd HH:mm");
          const result = parseTimeRange(`${start.toFormat("yyyy/MM/dd HH:mm")}${separator}${endText} (${zone})`, "UTC");
          return result.ok && result.start.epochMs === start.toMillis() && result.end.epochMs === end.toMillis();
        },
      ),
      { numRuns: runs(1000) },
    );
  });
});

describe("parseStatedDuration", () => {
  it.each([
    ["38", 38 * 60],
    ["38 minutes", 38 * 60],
    ["38m", 38 * 60],
    ["38 min", 38 * 60],
    ["1h 20m", 80 * 60],
    ["1 hour and 20 minutes", 80 * 60],
    ["1:20", 80 * 60],
    ["1:20:30", 80 * 60 + 30],
    ["1時間20分", 80 * 60],
    ["１時間２０分", 80 * 60],
    ["38分", 38 * 60],
    ["90秒", 90],
    ["2d 3h", 2 * 86_400 + 3 * 3_600],
    ["0", 0],
  ])("reads %s as %i seconds", (text, seconds) => {
    expect(parseStatedDuration(text)).toEqual({ ok: true, seconds });
  });

  it.each(["soon", "20m 1h", "1h 1h", "1:75", "-5", "38 parsecs", "", "1".repeat(100)])("refuses %j", (text) => {
    expect(parseStatedDuration(text)).toMatchObject({ ok: false, code: "duration-format" });
  });

  it("round-trips hours and minutes written in each shape (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        const seconds = (h * 60 + m) * 60;
        const shapes = [`${h * 60 + m}`, `${h}h ${m}m`, `${h}時間${m}分`, `${h}:${String(m).padStart(2, "0")}`, `${h} hours ${m} minutes`, `${h * 60 + m}分`];
        return shapes.every((shape) => {
          const result = parseStatedDuration(shape);
          return result.ok && result.seconds === seconds;
        });
      }),
      { numRuns: runs(500) },
    );
  });
});
