import { defineCatalog } from "../index.js";

/** `/postmortem` commands: the help table, each command's description, and the replies. */
export const commandMessages = defineCatalog(
  "commands",
  {
    helpIntro: "**postmortem-bot commands** (people with triage permission or more on this repository):",
    helpHeader: "| Command | What it does |\n| --- | --- |",
    /** One row of the help table; the Japanese table also shows each command's Japanese names. */
    helpRow: (usage: string, _aliases: string[], description: string) => `| \`${usage}\` | ${description} |`,
    notTriage: "Sorry, only people with triage permission or more on this repository can run `/postmortem` commands.",
    unknownCommand: (name: string) => `\`/postmortem ${name}\` is not a command.\n\n`,
    notAPostmortem: (reason: string) => `This issue is not a postmortem (${reason}).`,
    helpDescription: "Show this list.",
    checkDescription: "Check the postmortem again now and update its status comment.",
    publishDescription: "Publish the reviewed postmortem: file each action item as a follow-up issue (when `follow_ups.publish_on: command`).",
    publishByLabel: (label: string) => `by adding the \`${label}\` label`,
    publishByClose: "by closing the postmortem as completed",
    publishNotByCommand: (how: string, publishOn: string) => `This repository publishes postmortems ${how} (\`follow_ups.publish_on: ${publishOn}\`), not by command.`,
    publishRefused: "Publishing was refused: the postmortem still has problems. The status comment lists them.",
    recommendDescription:
      "Add this postmortem to the reading list, for a reason (`lessons`, `architecture`, `response` by default) with an optional note. Curators only, when `reading_list.curators` is set.",
    setupBroken: "The postmortem setup of this repository is broken; the status comment says where.",
    notAReason: (reason: string, reasons: string) => `\`${reason}\` is not a reason. Use one of ${reasons}.`,
    onlyCuratorsRecommend: "Only the reading-list curators can recommend postmortems.",
    recommendDraft: "This postmortem is not complete yet: fix the problems in its status comment first.",
    onlyPostmortems: "Only postmortems can be recommended.",
    unrecommendDescription: "Take this postmortem off the reading list.",
    onlyCuratorsChange: "Only the reading-list curators can change the reading list.",
    sessionDescription:
      "Open an onboarding issue with a checklist of N recommended postmortems (default `reading_list.session_size`), balanced across reasons and new to the people it is for (you, or those named).",
    sessionNotOpened: (why: string) => `No reading session was opened: ${why}.`,
    sessionOpened: (issueNumber: number, picked: number) => `Opened reading session #${issueNumber} with ${picked} postmortems.`,
    rebuildDescription: "Rebuild the reading list from every recommended postmortem of the installation's repositories in this organization.",
    rebuilt: (repositories: number, count: number) => `The reading list was rebuilt from ${repositories} repositories: ${count} postmortems.`,
    reportDescription: (title: string) => `Update the "${title}" issue now (MTTD, MTTR and MTTM as median and p90, by severity and by month).`,
    reportSkipped: (reason: string) => `The metrics issue was not updated: ${reason}.`,
    reportDone: (where: string, outcome: "created" | "updated" | "unchanged", postmortems: number) =>
      `The metrics issue ${where} ${outcome === "unchanged" ? "is up to date" : outcome === "created" ? "was created" : "was updated"}: ${postmortems} postmortem(s) in the period.`,
    /** A label recommendation refused: why, then the label that came off. */
    labelRemoved: (why: string, label: string) => `${why} I removed the \`${label}\` label.`,
    notACurator: (curators: string) =>
      `Thank you for the suggestion! Only the reading-list curators (${curators}) can recommend postmortems, so please ask one of them.`,
    labelDraft: "This postmortem is not complete yet, so it cannot go on the reading list: fix the problems listed in its status comment, then recommend it again.",
    labelNotPostmortem: (label: string) => `Only postmortems (issues with the \`${label}\` label) can be recommended.`,
  },
  {
    helpIntro: "**postmortem-bot のコマンド**（このリポジトリで triage 以上の権限を持つ人が使えます）:",
    helpHeader: "| コマンド | 日本語でも | 内容 |\n| --- | --- | --- |",
    helpRow: (usage: string, aliases: string[], description: string) =>
      `| \`${usage}\` | ${aliases.map((a) => `\`/postmortem ${a}\``).join("、") || "—"} | ${description} |`,
    notTriage: "申し訳ありません。`/postmortem` コマンドを実行できるのは、このリポジトリで triage 以上の権限を持つ人だけです。",
    unknownCommand: (name: string) => `\`/postmortem ${name}\` というコマンドはありません。\n\n`,
    notAPostmortem: (reason: string) => `この issue はポストモーテムではありません（${SKIP_REASONS[reason] ?? reason}）。`,
    helpDescription: "この一覧を表示します。",
    checkDescription: "ポストモーテムをいますぐチェックし直し、ステータスコメントを更新します。",
    publishDescription: "レビューの済んだポストモーテムを公開し、アクションアイテムをそれぞれフォローアップ issue として起票します（`follow_ups.publish_on: command` のとき）。",
    publishByLabel: (label: string) => `\`${label}\` ラベルを付けて`,
    publishByClose: "ポストモーテムを完了（completed）としてクローズして",
    publishNotByCommand: (how: string, publishOn: string) =>
      `このリポジトリでは、ポストモーテムは${how}公開します（\`follow_ups.publish_on: ${publishOn}\`）。コマンドでは公開できません。`,
    publishRefused: "公開できませんでした。ポストモーテムにまだ問題があります。内容はステータスコメントを確認してください。",
    recommendDescription:
      "このポストモーテムを理由（既定では `lessons`、`architecture`、`response`）とメモ（省略可）を添えてリーディングリストに加えます。`reading_list.curators` が設定されているときは、キュレーターだけが実行できます。",
    setupBroken: "このリポジトリのポストモーテムの設定が壊れています。どこが壊れているかはステータスコメントに書いてあります。",
    notAReason: (reason: string, reasons: string) => `\`${reason}\` は理由として使えません。${reasons} のいずれかを指定してください。`,
    onlyCuratorsRecommend: "ポストモーテムを推薦できるのは、リーディングリストのキュレーターだけです。",
    recommendDraft: "このポストモーテムはまだ完成していません。先にステータスコメントに挙がっている問題を直してください。",
    onlyPostmortems: "推薦できるのはポストモーテムだけです。",
    unrecommendDescription: "このポストモーテムをリーディングリストから外します。",
    onlyCuratorsChange: "リーディングリストを変更できるのは、キュレーターだけです。",
    sessionDescription:
      "推薦されたポストモーテム N 件（既定は `reading_list.session_size`）のチェックリスト付きで、オンボーディング用の輪読会 issue を作ります。理由が偏らないように選び、対象の人（あなた、または指定した人）がまだ読んでいないものを優先します。",
    sessionNotOpened: (why: string) => `輪読会の issue は作成しませんでした: ${why}。`,
    sessionOpened: (issueNumber: number, picked: number) => `輪読会 #${issueNumber} を作成しました（ポストモーテム ${picked}件）。`,
    rebuildDescription: "この Organization でアプリがインストールされているリポジトリの推薦済みポストモーテムすべてから、リーディングリストを作り直します。",
    rebuilt: (repositories: number, count: number) => `${repositories}個のリポジトリからリーディングリストを作り直しました（ポストモーテム ${count}件）。`,
    reportDescription: (title: string) => `「${title}」issue をいますぐ更新します（MTTD・MTTR・MTTM の中央値と p90、重大度別・月別）。`,
    reportSkipped: (reason: string) => `指標の issue は更新しませんでした: ${reason}。`,
    reportDone: (where: string, outcome: "created" | "updated" | "unchanged", postmortems: number) =>
      `指標の issue ${where} ${outcome === "unchanged" ? "は最新です" : outcome === "created" ? "を作成しました" : "を更新しました"}（期間内のポストモーテム ${postmortems}件）。`,
    labelRemoved: (why: string, label: string) => `${why}\`${label}\` ラベルは外しました。`,
    notACurator: (curators: string) =>
      `推薦ありがとうございます。ポストモーテムを推薦できるのはリーディングリストのキュレーター（${curators}）だけなので、キュレーターに頼んでみてください。`,
    labelDraft: "このポストモーテムはまだ完成していないため、リーディングリストには載せられません。ステータスコメントに挙がっている問題を直してから、もう一度推薦してください。",
    labelNotPostmortem: (label: string) => `推薦できるのはポストモーテム（\`${label}\` ラベルの付いた issue）だけです。`,
  },
  {
    helpRow: ["/postmortem publish", ["公開"], "Publish the reviewed postmortem."],
    unknownCommand: ["frobnicate"],
    notAPostmortem: ["not labelled as a postmortem"],
    publishByLabel: ["postmortem: published"],
    publishNotByCommand: ["by adding the `postmortem: published` label", "label"],
    notAReason: ["fun", "`lessons`, `architecture`, `response`"],
    sessionNotOpened: ["the reading list is empty"],
    sessionOpened: [12, 8],
    rebuilt: [3, 14],
    reportDescription: ["Postmortem metrics"],
    reportSkipped: ["the config of acme/payments is broken"],
    reportDone: ["acme/postmortems#7", "updated", 42],
    labelRemoved: ["Only postmortems can be recommended.", "recommended"],
    notACurator: ["`acme/sre`, `kenji`"],
    labelNotPostmortem: ["postmortem"],
  },
);

/** The reconciler's reasons for skipping an issue, for Japanese readers. */
const SKIP_REASONS: Record<string, string> = {
  "issue is gone": "issue が見つかりません",
  "pull request": "プルリクエストです",
  "not labelled as a postmortem": "ポストモーテムのラベルが付いていません",
};
