import { defineCatalog } from "../index.js";

interface NotDone {
  notPlanned: number;
  open: number;
  missing: number;
}

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
    zoneNote: (zone: string) => `<sub>Times written without a zone are read in ${zone}.</sub>`,
    followUpsHeading: (done: number, total: number) => `#### Follow-ups: ${done} of ${total} done`,
    /** The follow-ups not done, by kind; only kinds that occur are named. */
    notDone: (c: NotDone) =>
      `${[c.notPlanned > 0 ? `${c.notPlanned} closed as not planned` : "", c.open > 0 ? `${c.open} open` : "", c.missing > 0 ? `${c.missing} missing` : ""].filter(Boolean).join(", ")}.`,
    missingFollowUp: (missing: "deleted" | "transferred") => `: it was ${missing}; remove its link from the postmortem to file the item again`,
    /** A follow-up's state after its text: its word, and what to do when it is missing. */
    followUpState: (word: string, extra: string) => ` (${word}${extra})`,
    noActionItems: "No action items to file.",
    wordOpen: "open",
    wordDone: "done",
    wordNotPlanned: "not planned",
    wordDeleted: "deleted",
    wordTransferred: "transferred",
    publishRefused: (problems: number, how: "label" | "command" | "close", label: string) =>
      `Publishing was refused: this postmortem still has ${problems === 1 ? "a problem" : `${problems} problems`} (listed above). Fix ${problems === 1 ? "it" : "them"}, then publish again${how === "label" ? ` by adding the \`${label}\` label` : how === "command" ? " with `/postmortem publish`" : ""}.`,
    item: (index: number, text: string) => `Item ${index} (“${text}”)`,
    notFiledOtherOwner: (item: string, where: string, owner: string) =>
      `${item} was not filed: ${where} belongs to another owner than this postmortem, and the app never writes across organizations. Use a repository of ${owner}.`,
    notFiledMissing: (item: string, where: string) => `${item} was not filed: ${where} does not exist or the app is not installed on it. Install the app on ${where}, or change the item's owner.`,
    notFiledPublic: (item: string, where: string) =>
      `${item} was not filed: this postmortem is private and ${where} is public. File it in a private repository, or set \`follow_ups.allow_public_targets: true\` (then only the item's text and a link are copied).`,
  },
  {
    errorHeading: "### ポストモーテムのチェック: ⚠️ チェックできません",
    errorIntro: "このリポジトリのポストモーテムの設定が壊れているため、何もチェックしていません。下のファイルを直してください。次に編集したときにもう一度チェックします。",
    fileProblem: (file: string, line: number | null, message: string) => `- \`${file}\`${line === null ? "" : ` ${line}行目`}: ${message}`,
    readyHeading: "### ポストモーテムのチェック: ✅ 完成",
    readyText: "すべての項目が記入されていて、内容に矛盾もありません。",
    incompleteHeading: (count: number) => `### ポストモーテムのチェック: ❌ 直すべき問題が${count}件あります`,
    incompleteIntro: "issue を編集して直してください。このコメントは自動で更新されます。",
    moreProblems: (count: number) => `- …ほか${count}件。まず上の問題を直してください。残りは次に編集したときにここに表示されます。`,
    metricsHeading: "#### 指標",
    metricsHeader: "| 指標 | 値 | 定義 |",
    zoneNote: (zone: string) => `<sub>タイムゾーンを書いていない時刻は ${zone} として読みます。</sub>`,
    followUpsHeading: (done: number, total: number) => `#### フォローアップ: ${total}件中${done}件完了`,
    notDone: (c: NotDone) =>
      `${[c.notPlanned > 0 ? `対応しないとしてクローズ ${c.notPlanned}件` : "", c.open > 0 ? `未完了 ${c.open}件` : "", c.missing > 0 ? `見つからないもの ${c.missing}件` : ""].filter(Boolean).join("、")}。`,
    missingFollowUp: (_missing: "deleted" | "transferred") => "。起票し直すには、ポストモーテムからこのリンクを消してください",
    followUpState: (word: string, extra: string) => `（${word}${extra}）`,
    noActionItems: "起票するアクションアイテムはありません。",
    wordOpen: "未完了",
    wordDone: "完了",
    wordNotPlanned: "対応しない",
    wordDeleted: "削除済み",
    wordTransferred: "移動済み",
    publishRefused: (problems: number, how: "label" | "command" | "close", label: string) =>
      `公開できませんでした。このポストモーテムにはまだ問題が${problems}件あります（上の一覧を参照）。直してから、${how === "label" ? `\`${label}\` ラベルを付けて` : how === "command" ? "`/postmortem publish` で" : ""}もう一度公開してください。`,
    item: (index: number, text: string) => `${index}番目のアクションアイテム（「${text}」）`,
    notFiledOtherOwner: (item: string, where: string, owner: string) =>
      `${item}は起票していません。${where} はこのポストモーテムとは別のオーナーのリポジトリで、このアプリは Organization をまたいで書き込みません。${owner} のリポジトリを指定してください。`,
    notFiledMissing: (item: string, where: string) =>
      `${item}は起票していません。${where} が存在しないか、アプリがインストールされていません。${where} にアプリをインストールするか、アイテムのオーナーを変えてください。`,
    notFiledPublic: (item: string, where: string) =>
      `${item}は起票していません。このポストモーテムは非公開ですが、${where} は公開リポジトリです。非公開のリポジトリに起票するか、\`follow_ups.allow_public_targets: true\` を設定してください（その場合もコピーするのはアイテムの文とリンクだけです）。`,
  },
  {
    fileProblem: ["acme/payments:.github/postmortem.yml", 3, "unknown key `lable`"],
    incompleteHeading: [2],
    moreProblems: [4],
    zoneNote: ["Asia/Tokyo"],
    followUpsHeading: [3, 5],
    notDone: [{ notPlanned: 1, open: 2, missing: 0 }],
    missingFollowUp: ["transferred"],
    followUpState: ["transferred", ": it was transferred"],
    publishRefused: [2, "label", "postmortem: published"],
    item: [2, "Add an alert on payment queue depth"],
    notFiledOtherOwner: ["Item 2 (“Add an alert”)", "`other-org/backend`", "acme"],
    notFiledMissing: ["Item 2 (“Add an alert”)", "`acme/backend`"],
    notFiledPublic: ["Item 2 (“Add an alert”)", "`acme/public-site`"],
  },
);
