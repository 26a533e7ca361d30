import { defineCatalog } from "../index.js";

type MetricsOutcome = "created" | "updated" | "unchanged";

/**
 * `/postmortem` commands: the help table, each command's usage and description,
 * and the replies. Arguments that are user text arrive quoted already
 * (`quote`), except reason keys, which are config keys.
 */
export const commandMessages = defineCatalog(
  "commands",
  {
    helpIntro: "**postmortem-bot commands** (people with triage permission or more on this repository):",
    helpHeader: "| Command | What it does |\n| --- | --- |",
    /** One row of the help table; the Japanese table also shows each command's Japanese names. */
    helpRow: (usage: string, _aliases: string[], description: string) => `| \`${usage}\` | ${description} |`,
    notTriage: "Sorry, only people with triage permission or more on this repository can run `/postmortem` commands.",
    /** `command` is the line as written, quoted (a code span). The help table follows. */
    unknownCommand: (command: string) => `${command} is not a command.\n\n`,
    notAPostmortem: (reason: string) => `This issue is not a postmortem (${reason}).`,
    setupBroken: "The postmortem setup of this repository is broken; the status comment says where.",
    helpDescription: "Show this list.",
    checkDescription: "Check the postmortem again now and update its status comment.",
    publishDescription: "Publish the reviewed postmortem: file each action item as a follow-up issue (when `follow_ups.publish_on: command`).",
    publishByLabel: (label: string) => `by adding the \`${label}\` label`,
    publishByClose: "by closing the postmortem as completed",
    publishNotByCommand: (how: string, publishOn: string) => `This repository publishes postmortems ${how} (\`follow_ups.publish_on: ${publishOn}\`), not by command.`,
    publishRefused: "Publishing was refused: the postmortem still has problems. The status comment lists them.",
    recommendUsage: "/postmortem recommend <reason> [note…]",
    recommendDescription:
      "Add this postmortem to the reading list, for a reason (`lessons`, `architecture`, `response` by default) with an optional note. Curators only, when `reading_list.curators` is set.",
    /** `reason` as written (backticks removed); `reasons` the configured reason keys. */
    notAReason: (reason: string, reasons: string[]) => `\`${reason}\` is not a reason. Use one of ${reasons.map((r) => `\`${r}\``).join(", ")}.`,
    onlyCuratorsRecommend: "Only the reading-list curators can recommend postmortems.",
    recommendDraft: "This postmortem is not complete yet: fix the problems in its status comment first.",
    onlyPostmortems: "Only postmortems can be recommended.",
    unrecommendDescription: "Take this postmortem off the reading list.",
    onlyCuratorsChange: "Only the reading-list curators can change the reading list.",
    sessionUsage: "/postmortem reading-session [N] [@people…]",
    sessionDescription:
      "Open an onboarding issue with a checklist of N recommended postmortems (default `reading_list.session_size`), balanced across reasons and new to the people it is for (you, or those named).",
    sessionNotOpened: (why: string) => `No reading session was opened: ${why}.`,
    sessionOpened: (issueNumber: number, picked: number) => `Opened reading session #${issueNumber} with ${picked} postmortems.`,
    rebuildDescription: "Rebuild the reading list from every recommended postmortem of the installation's repositories in this organization.",
    /** `notes`: sentences of their own (held back, unreadable), appended. */
    rebuilt: (repositories: number, count: number, notes: string[]) =>
      [`The reading list was rebuilt from ${repositories} repositories: ${count} postmortems.`, ...notes].join(" "),
    similarDescription:
      "List up to 3 earlier postmortems of this organization most like this one (shared service, same trigger or contributing factor, similar words) in its status comment; never one that readers of this repository may not see.",
    levelUsage: "/postmortem level <level> <reason…>",
    reportDescription: (title: string) => `Update the "${title}" issue now (MTTD, MTTR and MTTM as median and p90, by severity and by month).`,
    reportSkipped: (reason: string) => `The metrics issue was not updated: ${reason}.`,
    reportDone: (where: string, outcome: MetricsOutcome, postmortems: number) =>
      `The metrics issue ${where} ${outcome === "unchanged" ? "is up to date" : outcome === "created" ? "was created" : "was updated"}: ${postmortems} postmortem(s) in the period.`,
    /** A label recommendation refused: why, then the label that came off. */
    labelRemoved: (why: string, label: string) => `${why} I removed the \`${label}\` label.`,
    /** `curators`: logins and team slugs, without `@`. */
    notACurator: (curators: string[]) =>
      `Thank you for the suggestion! Only the reading-list curators (${curators.map((c) => `\`${c}\``).join(", ")}) can recommend postmortems, so please ask one of them.`,
    labelDraft: "This postmortem is not complete yet, so it cannot go on the reading list: fix the problems listed in its status comment, then recommend it again.",
    labelNotPostmortem: (label: string) => `Only postmortems (issues with the \`${label}\` label) can be recommended.`,
  },
  {
    helpIntro: "**postmortem-bot のコマンド**（このリポジトリで triage 以上の権限を持つ人が実行できます。英語名と日本語名のどちらでも使えます）",
    helpHeader: "| コマンド | 日本語のコマンド名 | 内容 |\n| --- | --- | --- |",
    helpRow: (usage: string, aliases: string[], description: string) =>
      `| \`${usage}\` | ${aliases.map((a) => `\`/postmortem ${a}\``).join("、") || "—"} | ${description} |`,
    notTriage: "申し訳ありません。`/postmortem` コマンドを実行できるのは、このリポジトリで triage 以上の権限を持つ人だけです。",
    unknownCommand: (command: string) => `${command} というコマンドはありません。使えるコマンドは次のとおりです。\n\n`,
    notAPostmortem: (reason: string) => `この Issue はポストモーテムではありません（${SKIP_REASONS[reason] ?? reason}）。`,
    setupBroken: "このリポジトリのポストモーテムの設定に誤りがあります。どこが誤っているかはステータスコメントに書いてあります。",
    helpDescription: "この一覧を表示します。",
    checkDescription: "ポストモーテムをいますぐチェックし直し、ステータスコメントを更新します。",
    publishDescription: "レビュー済みのポストモーテムを公開し、アクションアイテムをそれぞれフォローアップ Issue として起票します（`follow_ups.publish_on: command` のとき）。",
    publishByLabel: (label: string) => `\`${label}\` ラベルを付けて`,
    publishByClose: "完了（completed）としてクローズして",
    publishNotByCommand: (how: string, publishOn: string) =>
      `このリポジトリでは、ポストモーテムは${how}公開します（\`follow_ups.publish_on: ${publishOn}\`）。コマンドでは公開できません。`,
    publishRefused: "公開できませんでした。ポストモーテムにまだ直すところがあります。一覧はステータスコメントにあります。",
    recommendUsage: "/postmortem recommend <理由> [メモ…]",
    recommendDescription:
      "このポストモーテムを、理由（既定では `lessons`、`architecture`、`response`。日本語の `学び`、`アーキテクチャ`、`対応` でも指定できます）と任意のメモを添えてリーディングリストに加えます。`reading_list.curators` が設定されているときは、キュレーターだけが実行できます。",
    notAReason: (reason: string, reasons: string[]) => `\`${reason}\` という理由はありません。${reasons.map((r) => `\`${r}\``).join("、")} のいずれかを指定してください。`,
    onlyCuratorsRecommend: "ポストモーテムを推薦できるのは、リーディングリストのキュレーターだけです。",
    recommendDraft: "このポストモーテムはまだ完成していません。先に、ステータスコメントに挙がっている問題を直してください。",
    onlyPostmortems: "推薦できるのはポストモーテムだけです。",
    unrecommendDescription: "このポストモーテムをリーディングリストから外します。",
    onlyCuratorsChange: "リーディングリストを変更できるのは、キュレーターだけです。",
    sessionUsage: "/postmortem reading-session [件数] [@相手…]",
    sessionDescription:
      "推薦されたポストモーテム N 件（既定は `reading_list.session_size`）を読むチェックリスト付きの、オンボーディング用の輪読会 Issue を作ります。理由が偏らないように、対象の人（あなた、または指定した人）がまだ読んでいないものから選びます。",
    sessionNotOpened: (why: string) => `輪読会の Issue は作成しませんでした（${why}）。`,
    sessionOpened: (issueNumber: number, picked: number) => `輪読会の Issue #${issueNumber} を作成しました（ポストモーテム${picked}件）。`,
    rebuildDescription: "この Organization でアプリがインストールされているリポジトリの、推薦済みのポストモーテムすべてからリーディングリストを作り直します。",
    rebuilt: (repositories: number, count: number, notes: string[]) =>
      [`リポジトリ${repositories}件からリーディングリストを作り直しました（ポストモーテム${count}件）。`, ...notes].join(""),
    similarDescription:
      "この Organization の過去のポストモーテムから、これに最も近いもの（同じサービス、同じきっかけや要因、似た言葉）を最大3件ステータスコメントに挙げます。このリポジトリを読める人が見られないものは挙げません。",
    levelUsage: "/postmortem level <レベル> <理由…>",
    reportDescription: (_title: string) => "指標の Issue をいますぐ更新します（MTTD・MTTR・MTTM の中央値と p90、重大度別・月別）。",
    reportSkipped: (reason: string) => `指標の Issue は更新しませんでした（${reason}）。`,
    reportDone: (where: string, outcome: MetricsOutcome, postmortems: number) =>
      `指標の Issue ${where} ${outcome === "unchanged" ? "はすでに最新です" : outcome === "created" ? "を作成しました" : "を更新しました"}（期間内のポストモーテム${postmortems}件）。`,
    labelRemoved: (why: string, label: string) => `${why}\`${label}\` ラベルは外しました。`,
    notACurator: (curators: string[]) =>
      `推薦ありがとうございます。ポストモーテムを推薦できるのはリーディングリストのキュレーター（${curators.map((c) => `\`${c}\``).join("、")}）だけなので、キュレーターに依頼してください。`,
    labelDraft: "このポストモーテムはまだ完成していないため、リーディングリストには載せられません。ステータスコメントに挙がっている問題を直してから、もう一度推薦してください。",
    labelNotPostmortem: (label: string) => `推薦できるのはポストモーテム（\`${label}\` ラベルの付いた Issue）だけです。`,
  },
  {
    helpRow: ["/postmortem publish", ["公開"], "Publish the reviewed postmortem."],
    unknownCommand: ["`/postmortem frobnicate`"],
    notAPostmortem: ["not labelled as a postmortem"],
    publishByLabel: ["postmortem: published"],
    publishNotByCommand: ["by adding the `postmortem: published` label", "label"],
    notAReason: ["fun", ["lessons", "architecture", "response"]],
    sessionNotOpened: ["the reading list is empty"],
    sessionOpened: [12, 8],
    rebuilt: [3, 14, ["1 repository you cannot read was left out."]],
    reportDescription: ["Postmortem metrics"],
    reportSkipped: ["the config of acme/payments is broken"],
    reportDone: ["acme/postmortems#7", "updated", 42],
    labelRemoved: ["Only postmortems can be recommended.", "recommended"],
    notACurator: [["acme/sre", "kenji"]],
    labelNotPostmortem: ["postmortem"],
  },
);

/** The reconciler's reasons for skipping an issue, for Japanese readers. */
const SKIP_REASONS: Record<string, string> = {
  "issue is gone": "Issue が見つかりません",
  "pull request": "プルリクエストです",
  "not labelled as a postmortem": "ポストモーテムのラベルが付いていません",
};
