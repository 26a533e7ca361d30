import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeMetrics, formatDuration } from "../../src/postmortem/metrics.js";
import { runs } from "../helpers/fuzz.js";

const t = (iso: string) => Date.parse(iso);

describe("metrics", () => {
  const timeline = {
    startedAt: t("2026-11-20T05:03:00Z"),
    detectedAt: t("2026-11-20T05:15:00Z"),
    mitigatedAt: t("2026-11-20T05:50:00Z"),
    recoveredAt: t("2026-11-20T06:41:00Z"),
  };

  it("computes TTD, TTR and TTM from impact start, as DESIGN.md defines them", () => {
    const m = computeMetrics(timeline, "started");
    expect([m.ttd.seconds, m.ttr.seconds, m.ttm.seconds]).toEqual([12 * 60, 98 * 60, 47 * 60]);
    expect(m.ttr.definition).toBe("time to recover = recovered − impact started");
  });

  it("measures TTR from detection when configured, and says so", () => {
    const m = computeMetrics(timeline, "detected");
    expect(m.ttr.seconds).toBe(86 * 60);
    expect(m.ttr.definition).toContain("recovered − detected");
  });

  it("leaves out a metric whose times are missing or out of order, with the reason", () => {
    const m = computeMetrics({ startedAt: timeline.startedAt, detectedAt: timeline.startedAt - 1000 }, "started");
    expect(m.ttd).toMatchObject({ seconds: null, unavailable: "the times are out of order" });
    expect(m.ttm).toMatchObject({ seconds: null, unavailable: "no mitigated time given" });
    expect(m.ttr.seconds).toBeNull();
  });

  it.each([
    [0, "0s"],
    [45, "45s"],
    [60, "1m"],
    [83 * 60, "1h 23m"],
    [3600, "1h"],
    [2 * 86_400 + 4 * 3600 + 5 * 60, "2d 4h"],
    [86_400 + 60, "1d"],
  ])("formats %i seconds as %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it("TTR = TTD + (recovered − detected) for any ordered times (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { minLength: 4, maxLength: 4 }), (raw) => {
        const [s, d, m, r] = [...raw].sort((a, b) => a - b).map((x) => x * 1000) as [number, number, number, number];
        const fromStart = computeMetrics({ startedAt: s, detectedAt: d, mitigatedAt: m, recoveredAt: r }, "started");
        const fromDetect = computeMetrics({ startedAt: s, detectedAt: d, mitigatedAt: m, recoveredAt: r }, "detected");
        return (
          fromStart.ttr.seconds === fromStart.ttd.seconds! + fromDetect.ttr.seconds! &&
          fromStart.ttm.seconds! <= fromStart.ttr.seconds! &&
          fromStart.ttd.seconds! >= 0
        );
      }),
      { numRuns: runs(2000) },
    );
  });
});
