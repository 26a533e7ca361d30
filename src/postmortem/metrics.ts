import type { Config } from "../config/schema.js";

/** Instants (epoch ms) read from the timestamp fields; absent when not given or not valid. */
export interface Timeline {
  startedAt?: number;
  detectedAt?: number;
  mitigatedAt?: number;
  recoveredAt?: number;
}

export type MetricName = "TTD" | "TTR" | "TTM";

export interface Metric {
  name: MetricName;
  seconds: number | null;
  /** The definition in force, stated wherever the number is shown. */
  definition: string;
  /** Why the value is absent. */
  unavailable?: string;
  /** The value was stated in a "minutes to detect"-style field, not computed from two times. */
  stated?: boolean;
}

/** Durations written in the form itself, in seconds; used only where the times cannot give the metric. */
export interface StatedDurations {
  ttd?: number;
  ttr?: number;
  ttm?: number;
}

export interface Metrics {
  ttd: Metric;
  ttr: Metric;
  ttm: Metric;
}

export function definitions(ttrFrom: Config["metrics"]["ttr_from"]): Record<MetricName, string> {
  return {
    TTD: "time to detect = detected − impact started",
    TTR:
      ttrFrom === "detected"
        ? "time to recover = recovered − detected (metrics.ttr_from: detected)"
        : "time to recover = recovered − impact started",
    TTM: "time to mitigate = mitigated − impact started",
  };
}

/** TTD, TTR and TTM exactly as DESIGN.md defines them; a negative span is never shown. */
export function computeMetrics(timeline: Timeline, ttrFrom: Config["metrics"]["ttr_from"], stated: StatedDurations = {}): Metrics {
  const defs = definitions(ttrFrom);
  const statedOf: Record<MetricName, number | undefined> = { TTD: stated.ttd, TTR: stated.ttr, TTM: stated.ttm };
  const span = (name: MetricName, from: number | undefined, to: number | undefined, missing: string): Metric => {
    const given = statedOf[name];
    if ((from === undefined || to === undefined) && given !== undefined) return { name, seconds: given, definition: defs[name], stated: true };
    if (from === undefined || to === undefined) return { name, seconds: null, definition: defs[name], unavailable: missing };
    if (to < from) return { name, seconds: null, definition: defs[name], unavailable: "the times are out of order" };
    return { name, seconds: Math.round((to - from) / 1000), definition: defs[name] };
  };
  const ttrStart = ttrFrom === "detected" ? timeline.detectedAt : timeline.startedAt;
  return {
    ttd: span("TTD", timeline.startedAt, timeline.detectedAt, "needs impact started and detected times"),
    ttr: span(
      "TTR",
      ttrStart,
      timeline.recoveredAt,
      `needs ${ttrFrom === "detected" ? "detected" : "impact started"} and recovered times`,
    ),
    ttm: span("TTM", timeline.startedAt, timeline.mitigatedAt, "no mitigated time given"),
  };
}

/** `1h 23m`, `2d 4h`, `45s` (and `1時間38分` in Japanese): see src/i18n/format.ts. */
export { formatDuration } from "../i18n/format.js";
