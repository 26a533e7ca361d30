import { defineCatalog } from "../index.js";

/**
 * Incident levels and error budgets: the problems a level adds, the status
 * comment's level and budget sections, the `/postmortem level` replies, the
 * review reminder and the report's figures. Field names arrive formatted
 * (`fieldName`), dates formatted (`formatDate`), user text quoted (`quote`).
 */
export const levels = defineCatalog(
  "levels",
  {
    levelRequired: (field: string, level: string, heading: string) =>
      `${field} is required for ${level} incidents but empty. Write it under the \`### ${heading}\` heading (replace \`_No response_\`), or add the heading if it is gone.`,
    unknownSlo: (field: string, names: string, known: string) => `${field}: ${names} ${names.includes(",") ? "are" : "is"} not an SLO of this repository. Use ${known}, or add it to \`slos\` in .github/postmortem.yml.`,
    noSlos: "none is configured yet",
    shareInvalid: (field: string, text: string) => `${field}: ${text} is not a share this app reads. Write a percentage such as \`25%\` or a fraction such as \`0.25\` (above 0, at most 100%), or leave it empty for 100%.`,
    budgetSpentInvalid: (field: string, text: string) => `${field}: ${text} is not a percentage. Write it as \`46%\`.`,

    levelHeading: (level: string) => `#### Level: ${level}`,
    levelHeadingEvaluated: (evaluated: string, declared: string) => `#### Level: ${evaluated} (declared ${declared})`,
    levelNone: "#### Level",
    evaluated: (declared: string, evaluated: string, by: string, date: string, reason: string) => `Re-evaluated from ${declared} to ${evaluated} by ${by} on ${date}: ${reason}`,
    ruleField: (field: string) => `${field} is written`,
    ruleFollowUps: (days: number) => `Follow-ups without a \`due:\` date are due ${days} business days after publishing`,
    ruleFollowUpsNone: "Follow-ups are due only when their item says `due:`",
    ruleReview: (date: string, days: number) => `Review (publish) by ${date}: ${days} business days after recovery`,
    ruleReviewBudget: (date: string, days: number, threshold: string) =>
      `Review (publish) by ${date}: ${days} business days after recovery, because the incident consumed more than ${threshold} of an error budget`,
    ruleReviewOverdue: (date: string) => `The review was due on ${date}`,
    ruleReviewDone: "Reviewed and published",
    ruleReviewNeedsRecovery: "Review deadline: set once the recovery time is given",
    ruleReviewNone: "No review deadline at this level",
    businessDaysNote: (zone: string) => `Business days skip Saturdays, Sundays and the configured holidays, in ${zone}.`,

    budgetHeading: "#### Error budget",
    budgetColumns: "| SLO | Target | Window | Budget consumed |",
    budgetNeedsTimes: "— (needs impact started and recovered times)",
    budgetShare: (share: string, field: string) => `Affected share: ${share} (from ${field}).`,
    budgetShareAssumed: "Affected share: 100% (none given).",
    budgetStated: (field: string, stated: string) => `Stated in ${field}: ${stated}.`,
    budgetDefinition: "Budget consumed = impact duration × affected share ÷ (SLO window × (1 − target)); impact duration = recovered − impact started.",
    budgetDisagreement: (stated: string, computed: string) =>
      `The stated budget spent (${stated}) is far from the computed figure (${computed}): more than 10 points or 2× apart. Check the affected share and the timestamps, or correct the stated figure.`,

    commandUsage: (names: string) => `Name the level and why: \`/postmortem level <level> <reason>\`, with a level among ${names}.`,
    commandUnknown: (name: string, names: string) => `${name} is not a level here. Use one of ${names}.`,
    commandNoReason: "Say why the level changes: `/postmortem level <level> <reason>`. The reason is kept with the level.",
    commandBroken: "The postmortem setup of this repository is broken; the status comment says where.",
    commandDescription: "Re-evaluate the incident's level (kept beside the declared one, with who, when and why); the status comment then shows that level's rules.",
    evaluatedLabelDescription: "The incident's level as re-evaluated with /postmortem level",


    reportBudgetHeading: "### Error budget consumed",
    reportBudgetColumns: "| SLO | Target | Window | Window start | Incidents | Budget consumed |",
    reportBudgetByLevelHeading: "#### Error budget consumed by level",
    reportBudgetByLevelColumns: "| SLO | Level | Incidents | Budget consumed |",
    reportLevelsHeading: "### Declared and evaluated levels",
    reportLevelsSummary: (reevaluated: number, differ: number, total: number) =>
      `${reevaluated} of ${total} complete postmortems were re-evaluated with \`/postmortem level\`; ${differ} ended at a level other than the declared one.`,
    reportLevelsColumns: "| Declared | Evaluated | Postmortems |",
    reportBudgetNote: "Each window is as long as the SLO's and the last one ends at the end of the period; incidents are placed by impact start and counted at their evaluated level, else their declared one.",
    /** The built-in levels' definitions, by rank 0–3 (used when a repository configures no `levels:`). */
    builtInDefinition: (rank: number) => [
      "Critical: a core service is down for customers, data is lost, or security is breached.",
      "Major: a core feature is broken or badly degraded for many customers, with no workaround.",
      "Minor: partial degradation, a workaround exists, or few customers are affected.",
      "Low: internal-only impact, or a near miss with no customer impact.",
    ][Math.min(rank, 3)]!,
  },
  {
    levelRequired: (field: string, level: string, heading: string) =>
      `${level} のインシデントでは${field}が必須ですが、空欄です。\`### ${heading}\` 見出しの下に書いてください（\`_No response_\` を書き換えます）。見出しが消えている場合は追加してください。`,
    unknownSlo: (field: string, names: string, known: string) => `${field}：${names} はこのリポジトリの SLO ではありません。${known} のいずれかを使うか、.github/postmortem.yml の \`slos\` に追加してください。`,
    noSlos: "（まだ設定されていません）",
    shareInvalid: (field: string, text: string) => `${field}：${text} は割合として読めません。\`25%\` のような百分率か \`0.25\` のような小数（0 より大きく 100% 以下）で書くか、100% なら空欄にしてください。`,
    budgetSpentInvalid: (field: string, text: string) => `${field}：${text} は百分率として読めません。\`46%\` のように書いてください。`,

    levelHeading: (level: string) => `#### レベル：${level}`,
    levelHeadingEvaluated: (evaluated: string, declared: string) => `#### レベル：${evaluated}（申告は ${declared}）`,
    levelNone: "#### レベル",
    evaluated: (declared: string, evaluated: string, by: string, date: string, reason: string) => `${date} に ${by} さんが ${declared} から ${evaluated} に評価し直しました：${reason}`,
    ruleField: (field: string) => `${field}が書かれている`,
    ruleFollowUps: (days: number) => `\`due:\` のないフォローアップの期限は、公開から ${days} 営業日後です`,
    ruleFollowUpsNone: "フォローアップの期限は、項目に `due:` がある場合だけです",
    ruleReview: (date: string, days: number) => `${date}までにレビューして公開します（復旧から ${days} 営業日）`,
    ruleReviewBudget: (date: string, days: number, threshold: string) =>
      `${date}までにレビューして公開します（復旧から ${days} 営業日。エラーバジェットを ${threshold} より多く消費したため）`,
    ruleReviewOverdue: (date: string) => `レビューの期限は${date}でした`,
    ruleReviewDone: "レビュー済みで公開されています",
    ruleReviewNeedsRecovery: "レビューの期限は、復旧時刻が書かれると決まります",
    ruleReviewNone: "このレベルにはレビューの期限がありません",
    businessDaysNote: (zone: string) => `営業日は ${zone} の暦で数え、土日と設定された休日を除きます。`,

    budgetHeading: "#### エラーバジェット",
    budgetColumns: "| SLO | 目標 | 期間 | 消費したバジェット |",
    budgetNeedsTimes: "—（影響開始と復旧の時刻が必要です）",
    budgetShare: (share: string, field: string) => `影響範囲の割合：${share}（${field}より）。`,
    budgetShareAssumed: "影響範囲の割合：100%（記入がないため）。",
    budgetStated: (field: string, stated: string) => `${field}の記載：${stated}。`,
    budgetDefinition: "消費したバジェット = 影響時間 × 影響範囲の割合 ÷（SLO の期間 ×（1 − 目標））。影響時間 = 復旧 − 影響開始。",
    budgetDisagreement: (stated: string, computed: string) =>
      `記載された消費量（${stated}）が計算値（${computed}）と大きく異なります（10 ポイント超、または 2 倍超の差）。影響範囲の割合と時刻を確かめるか、記載を直してください。`,

    commandUsage: (names: string) => `レベルと理由を書いてください：\`/postmortem level <レベル> <理由>\`。レベルは ${names} のいずれかです。`,
    commandUnknown: (name: string, names: string) => `${name} はこのリポジトリのレベルではありません。${names} のいずれかを使ってください。`,
    commandNoReason: "レベルを変える理由を書いてください：`/postmortem level <レベル> <理由>`。理由はレベルと一緒に記録されます。",
    commandBroken: "このリポジトリのポストモーテム設定が壊れています。場所はステータスコメントに書かれています。",
    commandDescription: "インシデントのレベルを評価し直します（申告レベルと並べて、誰が・いつ・なぜを記録します）。ステータスコメントにはそのレベルのルールが表示されます。",
    evaluatedLabelDescription: "/postmortem level で評価し直したインシデントのレベル",


    reportBudgetHeading: "### 消費したエラーバジェット",
    reportBudgetColumns: "| SLO | 目標 | 期間 | 期間の開始 | インシデント数 | 消費したバジェット |",
    reportBudgetByLevelHeading: "#### レベル別の消費したエラーバジェット",
    reportBudgetByLevelColumns: "| SLO | レベル | インシデント数 | 消費したバジェット |",
    reportLevelsHeading: "### 申告レベルと評価レベル",
    reportLevelsSummary: (reevaluated: number, differ: number, total: number) =>
      `完成済みのポストモーテム ${total} 件のうち ${reevaluated} 件が \`/postmortem level\` で評価し直され、${differ} 件が申告とは別のレベルになりました。`,
    reportLevelsColumns: "| 申告 | 評価 | 件数 |",
    reportBudgetNote: "各期間の長さは SLO の期間と同じで、最後の期間は集計期間の終わりに終わります。インシデントは影響開始の時点で数え、評価レベルがあればそのレベル、なければ申告レベルに数えます。",
    builtInDefinition: (rank: number) => [
      "致命的: 主要なサービスが顧客に使えない、データが失われた、またはセキュリティが侵害された。",
      "重大: 主要な機能が多くの顧客に対して壊れているか大きく劣化していて、回避策がない。",
      "軽微: 一部が劣化している、回避策がある、または影響を受けた顧客が少ない。",
      "低: 社内だけの影響、または顧客への影響のなかったヒヤリハット。",
    ][Math.min(rank, 3)]!,
  },
  {
    levelRequired: ["**Timeline**", "SEV1", "Timeline"],
    unknownSlo: ["**Affected SLOs**", "`checkout`", "`checkout availability`, `api latency`"],
    shareInvalid: ["**Affected share**", "`most`"],
    budgetSpentInvalid: ["**Budget spent**", "`lots`"],
    levelHeading: ["SEV1"],
    levelHeadingEvaluated: ["SEV2", "SEV1"],
    evaluated: ["SEV1", "SEV2", "`alice`", "2026-11-27", "only EU users were affected"],
    ruleField: ["**Timeline**"],
    ruleFollowUps: [20],
    ruleReview: ["2026-11-27", 5],
    ruleReviewBudget: ["2026-11-27", 5, "50%"],
    ruleReviewOverdue: ["2026-11-27"],
    businessDaysNote: ["Asia/Tokyo"],
    budgetShare: ["38%", "**Affected share**"],
    budgetStated: ["**Budget spent**", "68%"],
    budgetDisagreement: ["68%", "46.3%"],
    commandUsage: ["`SEV1`, `SEV2`, `SEV3`, `SEV4`"],
    commandUnknown: ["`SEV7`", "`SEV1`, `SEV2`"],
    reportLevelsSummary: [3, 2, 40],
    builtInDefinition: [1],
  },
);
