import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { parseTimestamp } from "../../src/postmortem/timestamps.js";
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
