import { defineCatalog } from "../index.js";

type TtrFrom = "started" | "detected";

/** TTD, TTR and TTM: their definitions (stated beside every number) and why one is absent. */
export const metricsMessages = defineCatalog(
  "metrics",
  {
    ttdDefinition: "time to detect = detected − impact started",
    ttrDefinition: (ttrFrom: TtrFrom) =>
      ttrFrom === "detected" ? "time to recover = recovered − detected (metrics.ttr_from: detected)" : "time to recover = recovered − impact started",
    ttmDefinition: "time to mitigate = mitigated − impact started",
    outOfOrder: "the times are out of order",
    ttdNeeds: "needs impact started and detected times",
    ttrNeeds: (ttrFrom: TtrFrom) => `needs ${ttrFrom === "detected" ? "detected" : "impact started"} and recovered times`,
    ttmNeeds: "no mitigated time given",
    /** The short form for Slack's context line. */
    shortDefinitions: (ttrFrom: TtrFrom) =>
      `TTD = detected − impact started; TTR = recovered − ${ttrFrom === "detected" ? "detected (metrics.ttr_from: detected)" : "impact started"}`,
  },
  {
    ttdDefinition: "検知までの時間 = 検知 − 影響開始",
    ttrDefinition: (ttrFrom: TtrFrom) =>
      ttrFrom === "detected" ? "復旧までの時間 = 復旧 − 検知（metrics.ttr_from: detected）" : "復旧までの時間 = 復旧 − 影響開始",
    ttmDefinition: "緩和までの時間 = 緩和 − 影響開始",
    outOfOrder: "時刻の順序が正しくありません",
    ttdNeeds: "影響開始と検知の時刻が必要です",
    ttrNeeds: (ttrFrom: TtrFrom) => `${ttrFrom === "detected" ? "検知" : "影響開始"}と復旧の時刻が必要です`,
    ttmNeeds: "緩和の時刻が書かれていません",
    shortDefinitions: (ttrFrom: TtrFrom) =>
      `TTD = 検知 − 影響開始、TTR = 復旧 − ${ttrFrom === "detected" ? "検知（metrics.ttr_from: detected）" : "影響開始"}`,
  },
  { ttrDefinition: ["detected"], ttrNeeds: ["started"], shortDefinitions: ["started"] },
);
