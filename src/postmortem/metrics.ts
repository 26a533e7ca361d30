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
export function computeMetrics(timeline: Timeline, ttrFrom: Config["metrics"]["ttr_from"]): Metrics {
  const defs = definitions(ttrFrom);
  const span = (name: MetricName, from: number | undefined, to: number | undefined, missing: string): Metric => {
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

/** `1h 23m`, `2d 4h`, `45s`: at most the two largest units, rounded down. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const units: [string, number][] = [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of units) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0 || parts.length > 0) parts.push(`${amount}${unit}`);
  }
  return parts
    .slice(0, 2)
    .filter((part) => !/^0[a-z]$/.test(part))
    .join(" ");
}
