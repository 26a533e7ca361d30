import { defineCatalog } from "../index.js";

/**
 * Slack notices: a postmortem published, one recommended, the weekly digest of overdue follow-ups.
 * Arguments arrive escaped for mrkdwn; the metric names TTD and TTR stay as they are, and their
 * definitions come from the metrics catalog (`shortDefinitions`).
 */
export const slackMessages = defineCatalog(
  "slack",
  {
    published: (ref: string) => `Postmortem published: ${ref}`,
    severity: "Severity",
    severityNotGiven: "not given",
    actionItems: "Action items",
    recommended: (ref: string) => `Recommended reading: ${ref}`,
    reason: "Reason",
    recommendedBy: "Recommended by",
    addedToList: "Added to the postmortem reading list.",
    noneOverdue: "No follow-ups are past their due date.",
    overdueSummary: (count: number) => `*${count} follow-up${count === 1 ? " is" : "s are"} past ${count === 1 ? "its" : "their"} due date.*`,
    overdueLine: (link: string, due: string, owner: string) => `• ${link} — due ${due} · ${owner}`,
    overdueText: (count: number, owner: string) => `${count} overdue postmortem follow-up${count === 1 ? "" : "s"} in ${owner}`,
    overdueHeader: (owner: string) => `Overdue postmortem follow-ups: ${owner}`,
    more: (count: number) => `…and ${count} more.`,
  },
  {
    published: (ref: string) => `ポストモーテムが公開されました: ${ref}`,
    severity: "重大度",
    severityNotGiven: "未記入",
    actionItems: "アクションアイテム",
    recommended: (ref: string) => `おすすめのポストモーテム: ${ref}`,
    reason: "理由",
    recommendedBy: "推薦した人",
    addedToList: "ポストモーテムのリーディングリストに追加しました。",
    noneOverdue: "期限を過ぎたフォローアップはありません。",
    overdueSummary: (count: number) => `*期限を過ぎたフォローアップが${count}件あります。*`,
    overdueLine: (link: string, due: string, owner: string) => `• ${link} — 期限 ${due}・担当 ${owner}`,
    overdueText: (count: number, owner: string) => `${owner} で期限を過ぎたポストモーテムのフォローアップが${count}件あります`,
    overdueHeader: (owner: string) => `${owner} の期限を過ぎたポストモーテムのフォローアップ`,
    more: (count: number) => `…ほか${count}件`,
  },
  {
    published: ["acme/payments#42"],
    recommended: ["acme/payments#42"],
    overdueSummary: [3],
    overdueLine: ["<https://github.com/acme/backend/issues/7|Add an alert on queue depth>", "2026-11-30", "@\u200balice"],
    overdueText: [3, "acme"],
    overdueHeader: ["acme"],
    more: [5],
  },
);
