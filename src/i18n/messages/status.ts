import { defineCatalog } from "../index.js";

interface NotDone {
  notPlanned: number;
  open: number;
  missing: number;
}

type PublishOn = "label" | "command" | "close";
type Visibility = "private" | "internal" | "public";

/** The status comment: headings, the metric table, follow-ups, and the notices written beside them. */
export const statusMessages = defineCatalog(
  "status",
  {
    errorHeading: "### Postmortem check: ⚠️ cannot check this postmortem",
    errorIntro: "The postmortem setup of this repository is broken, so nothing was checked. Fix the file below; the check runs again on the next edit.",
    fileProblem: (file: string, line: number | null, message: string) => `- \`${file}\`${line === null ? "" : ` line ${line}`}: ${message}`,
    readyHeading: "### Postmortem check: ✅ ready",
    readyText: "Every field is complete and consistent.",
    incompleteHeading: (count: number) => `### Postmortem check: ❌ ${count} ${count === 1 ? "problem" : "problems"} to fix`,
    incompleteIntro: "Edit the issue to fix these; this comment updates itself.",
    moreProblems: (count: number) => `- …and ${count} more. Fix these first; the rest show up here after the next edit.`,
    metricsHeading: "#### Metrics",
    metricsHeader: "| Metric | Value | Definition |",
    /** A metric without a value, and why (the reason comes localized from computeMetrics). */
    metricUnavailable: (reason: string) => `— (${reason})`,
    /** A value the form stated rather than the app computed from two times. */
    statedValue: (duration: string) => `${duration} (stated)`,
    zoneNote: (zone: string) => `<sub>Times written without a zone are read in ${zone}.</sub>`,
    followUpsHeading: (done: number, total: number) => `#### Follow-ups: ${done} of ${total} done`,
    /** The follow-ups not done, by kind; only kinds that occur are named. */
    notDone: (c: NotDone) =>
      `${[c.notPlanned > 0 ? `${c.notPlanned} closed as not planned` : "", c.open > 0 ? `${c.open} open` : "", c.missing > 0 ? `${c.missing} missing` : ""].filter(Boolean).join(", ")}.`,
    missingFollowUp: (missing: "deleted" | "transferred") => `: it was ${missing}; remove its link from the postmortem to file the item again`,
    /** One follow-up: its mark, reference, text (already made inert), its state word, and what to do when it is missing. */
    followUpLine: (mark: string, ref: string, text: string, word: string, extra: string) => `${mark} ${ref} — ${text} (${word}${extra})`,
    noActionItems: "No action items to file.",
    wordOpen: "open",
    wordDone: "done",
    wordNotPlanned: "not planned",
    wordDeleted: "deleted",
    wordTransferred: "transferred",
    publishRefused: (problems: number, how: PublishOn, label: string) =>
      `Publishing was refused: this postmortem still has ${problems === 1 ? "a problem" : `${problems} problems`} (listed above). Fix ${problems === 1 ? "it" : "them"}, then publish again${how === "label" ? ` by adding the \`${label}\` label` : how === "command" ? " with `/postmortem publish`" : ""}.`,
    /** How this repository publishes, for the security catalog's publishNeedsTriage. */
    publishHow: (how: PublishOn, label: string) => (how === "label" ? `by adding the \`${label}\` label` : how === "close" ? "by closing it as completed" : "with `/postmortem publish`"),
    /** An action item in a notice; `quoted` is its text as a code span (quote()). */
    item: (index: number, quoted: string) => `Item ${index} (${quoted})`,
    /** A repository's visibility, for the security catalog's targetMoreVisible. */
    visibility: (visibility: Visibility) => visibility,
    notFiledOtherOwner: (item: string, where: string, owner: string) =>
      `${item} was not filed: ${where} belongs to another owner than this postmortem, and the app never writes across organizations. Use a repository of ${owner}.`,
  },
  {
    errorHeading: "### ポストモーテムのチェック: ⚠️ チェックできません",
    errorIntro: "このリポジトリのポストモーテムの設定に誤りがあるため、何もチェックしていません。下のファイルを修正してください。次に編集したときに、もう一度チェックします。",
    fileProblem: (file: string, line: number | null, message: string) => `- \`${file}\`${line === null ? "" : ` ${line}行目`}: ${message}`,
    readyHeading: "### ポストモーテムのチェック: ✅ 完成",
    readyText: "すべての項目が記入されていて、内容に矛盾もありません。",
    incompleteHeading: (count: number) => `### ポストモーテムのチェック: ❌ 修正が必要な問題が${count}件あります`,
    incompleteIntro: "Issue を編集して修正してください。このコメントは自動で更新されます。",
    moreProblems: (count: number) => `- …ほか${count}件あります。まず上の問題を修正してください。残りは次に編集したときにここに表示されます。`,
    metricsHeading: "#### 指標",
    metricsHeader: "| 指標 | 値 | 定義 |",
    metricUnavailable: (reason: string) => `—（${reason}）`,
    statedValue: (duration: string) => `${duration}（記入値）`,
    zoneNote: (zone: string) => `<sub>タイムゾーンの書かれていない時刻は、${zone} の時刻として読んでいます。</sub>`,
    followUpsHeading: (done: number, total: number) => `#### フォローアップ: ${total}件中${done}件完了`,
    notDone: (c: NotDone) =>
      `${[c.notPlanned > 0 ? `${c.notPlanned}件は対応しないとしてクローズ済み` : "", c.open > 0 ? `${c.open}件は未完了` : "", c.missing > 0 ? `${c.missing}件は見つかりません` : ""].filter(Boolean).join("、")}。`,
    missingFollowUp: (_missing: "deleted" | "transferred") => "。起票し直すには、ポストモーテムからこのリンクを消してください",
    followUpLine: (mark: string, ref: string, text: string, word: string, extra: string) => `${mark} ${ref} — ${text}（${word}${extra}）`,
    noActionItems: "起票するアクションアイテムはありません。",
    wordOpen: "未完了",
    wordDone: "完了",
    wordNotPlanned: "対応しない",
    wordDeleted: "削除済み",
    wordTransferred: "移動済み",
    publishRefused: (problems: number, how: PublishOn, label: string) =>
      `公開できませんでした。このポストモーテムにはまだ問題が${problems}件あります（上の一覧を参照）。修正してから、${how === "label" ? `\`${label}\` ラベルを付けて` : how === "command" ? "`/postmortem publish` で" : ""}もう一度公開してください。`,
    publishHow: (how: PublishOn, label: string) => (how === "label" ? `\`${label}\` ラベルの追加` : how === "close" ? "完了としてのクローズ" : "`/postmortem publish` コマンド"),
    item: (index: number, quoted: string) => `${index}番目のアクションアイテム（${quoted}）`,
    visibility: (visibility: Visibility) => ({ private: "非公開", internal: "組織内公開", public: "公開" })[visibility],
    notFiledOtherOwner: (item: string, where: string, owner: string) =>
      `${item}は起票していません。${where} はこのポストモーテムとは別のオーナーのリポジトリで、このアプリは Organization をまたいで書き込むことはありません。${owner} のリポジトリを指定してください。`,
  },
  {
    fileProblem: ["acme/payments:.github/postmortem.yml", 3, "unknown key `lable`"],
    incompleteHeading: [2],
    moreProblems: [4],
    metricUnavailable: ["no mitigated time given"],
    statedValue: ["1h 38m"],
    zoneNote: ["Asia/Tokyo"],
    followUpsHeading: [3, 5],
    notDone: [{ notPlanned: 1, open: 2, missing: 0 }],
    missingFollowUp: ["transferred"],
    followUpLine: ["- [ ]", "acme/backend#7", "Add an alert on payment queue depth", "open", ""],
    publishRefused: [2, "label", "postmortem: published"],
    publishHow: ["label", "postmortem: published"],
    item: [2, "`Add an alert on payment queue depth`"],
    visibility: ["public"],
    notFiledOtherOwner: ["Item 2 (`Add an alert`)", "`other-org/backend`", "acme"],
  },
);
