import type { Config } from "../config/schema.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { metricsMessages } from "../i18n/messages/metrics.js";

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

export function definitions(ttrFrom: Config["metrics"]["ttr_from"], language: Language = "en"): Record<MetricName, string> {
  const m = messagesOf(metricsMessages, language);
  return { TTD: m.ttdDefinition, TTR: m.ttrDefinition(ttrFrom), TTM: m.ttmDefinition };
}

/** TTD, TTR and TTM exactly as docs/design.md defines them; a negative span is never shown. */
export function computeMetrics(timeline: Timeline, ttrFrom: Config["metrics"]["ttr_from"], stated: StatedDurations = {}, language: Language = "en"): Metrics {
  const m = messagesOf(metricsMessages, language);
  const defs = definitions(ttrFrom, language);
  const statedOf: Record<MetricName, number | undefined> = { TTD: stated.ttd, TTR: stated.ttr, TTM: stated.ttm };
  const span = (name: MetricName, from: number | undefined, to: number | undefined, missing: string): Metric => {
    const given = statedOf[name];
    if ((from === undefined || to === undefined) && given !== undefined) return { name, seconds: given, definition: defs[name], stated: true };
    if (from === undefined || to === undefined) return { name, seconds: null, definition: defs[name], unavailable: missing };
    if (to < from) return { name, seconds: null, definition: defs[name], unavailable: m.outOfOrder };
    return { name, seconds: Math.round((to - from) / 1000), definition: defs[name] };
  };
  const ttrStart = ttrFrom === "detected" ? timeline.detectedAt : timeline.startedAt;
  return {
    ttd: span("TTD", timeline.startedAt, timeline.detectedAt, m.ttdNeeds),
    ttr: span("TTR", ttrStart, timeline.recoveredAt, m.ttrNeeds(ttrFrom)),
    ttm: span("TTM", timeline.startedAt, timeline.mitigatedAt, m.ttmNeeds),
  };
}

/** `1h 23m`, `2d 4h`, `45s` (and `1時間38分` in Japanese): see src/i18n/format.ts. */
export { formatDuration } from "../i18n/format.js";
