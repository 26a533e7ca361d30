import { defineCatalog } from "../index.js";

/**
 * Refusals and held-back notices of the permission and visibility rules
 * (docs/security.md). Arguments that are user text arrive quoted already.
 */
export const security = defineCatalog(
  "security",
  {
    publishNeedsTriage: (who: string, how: string) =>
      `Publishing was refused: ${who} does not have triage permission or more on this repository, and only such people may publish (${how}). Ask a maintainer of this repository to publish it.`,
    publishRefusedReply: (who: string) =>
      `Sorry, ${who}: publishing this postmortem files its action items into other repositories, so it needs triage permission or more on this repository. The status comment says who may publish.`,
    filingNeedsTriage: (count: number) =>
      `${count === 1 ? "1 action item was" : `${count} action items were`} added after publishing and ${count === 1 ? "is" : "are"} not filed yet: only people with triage permission or more on this repository can cause filing. It happens on their next edit, or with \`/postmortem check\`.`,
    tooManyFollowUps: (limit: number, left: number) => `At most ${limit} follow-ups are filed per postmortem; ${left} more action ${left === 1 ? "item was" : "items were"} not filed. Merge items, or file the rest by hand.`,
    targetMissing: (which: string, where: string) =>
      `${which} was not filed: ${where} does not exist or the app is not installed on it. Install the app on ${where}, or change the item's owner (the item is tried again when its text or owner changes).`,
    targetMoreVisible: (which: string, where: string, from: string, to: string) =>
      `${which} was not filed: this postmortem is ${from} and ${where} is ${to}, which more people can read. File it in a repository no more visible than this one, or set \`follow_ups.allow_public_targets: true\` (then only the item's text and a link are copied).`,
    followUpsNotListed: (count: number) => `…and ${count} more follow-ups, not listed here to keep this comment within GitHub's size limit.`,
    noticesNotListed: (count: number) => `${count} more notices are not shown to keep this comment within GitHub's size limit.`,
    heldBack: (count: number, option: string) =>
      `${count === 1 ? "1 postmortem" : `${count} postmortems`} from repositories fewer people can read ${count === 1 ? "is" : "are"} not shown here (set \`${option}: true\` in that repository's config to allow it).`,
    metricsHeldBack: (count: number) =>
      `${count === 1 ? "1 repository" : `${count} repositories`} reporting here ${count === 1 ? "is" : "are"} not counted: more people can read this issue than ${count === 1 ? "it" : "them"} (set \`metrics.allow_public: true\` in ${count === 1 ? "its" : "their"} config to count ${count === 1 ? "it" : "them"}).`,
    gatherNeedsMaintain: (where: string) => `Sorry, this command gathers postmortems across repositories into ${where}, so it needs maintain or admin permission on ${where}.`,
    sourcesUnreadable: (count: number) => `${count === 1 ? "1 repository" : `${count} repositories`} you cannot read ${count === 1 ? "was" : "were"} left out.`,
  },
  {
    publishNeedsTriage: (who: string, how: string) =>
      `公開を見送りました。${who} さんはこのリポジトリで triage 以上の権限をお持ちでなく、公開（${how}）できるのはその権限をお持ちの方だけです。このリポジトリのメンテナーに公開を依頼してください。`,
    publishRefusedReply: (who: string) =>
      `${who} さん、申し訳ありません。このポストモーテムを公開するとアクションアイテムが他のリポジトリに起票されるため、このリポジトリでの triage 以上の権限が必要です。公開できる方はステータスコメントに記載しています。`,
    filingNeedsTriage: (count: number) =>
      `公開後に追加されたアクションアイテム ${count} 件はまだ起票されていません。起票のきっかけにできるのは、このリポジトリで triage 以上の権限をお持ちの方だけです。その方が次に編集したとき、または \`/postmortem check\` で起票されます。`,
    tooManyFollowUps: (limit: number, left: number) =>
      `1 件のポストモーテムから起票するフォローアップは最大 ${limit} 件です。残りのアクションアイテム ${left} 件は起票していません。アイテムをまとめるか、残りは手動で起票してください。`,
    targetMissing: (which: string, where: string) =>
      `${which}は起票していません。${where} が存在しないか、アプリがインストールされていません。${where} にアプリをインストールするか、担当を変更してください（本文か担当が変わると再度試します）。`,
    targetMoreVisible: (which: string, where: string, from: string, to: string) =>
      `${which}は起票していません。このポストモーテムは${from}で、${where} は${to}のため、より多くの人が読めてしまいます。公開範囲がこのリポジトリ以下のリポジトリに起票するか、\`follow_ups.allow_public_targets: true\` を設定してください（その場合コピーするのはアイテムの本文とリンクだけです）。`,
    followUpsNotListed: (count: number) => `…ほか ${count} 件のフォローアップは、GitHub のサイズ上限に収めるためここには載せていません。`,
    noticesNotListed: (count: number) => `GitHub のサイズ上限に収めるため、ほかのお知らせ ${count} 件は表示していません。`,
    heldBack: (count: number, option: string) =>
      `読める人がより少ないリポジトリのポストモーテム ${count} 件は、ここには表示していません（許可する場合は、そのリポジトリの設定で \`${option}: true\` にしてください）。`,
    metricsHeldBack: (count: number) =>
      `ここに集計するリポジトリのうち ${count} 件は数えていません。この Issue はそれらより多くの人が読めるためです（数える場合は、そのリポジトリの設定で \`metrics.allow_public: true\` にしてください）。`,
    gatherNeedsMaintain: (where: string) => `申し訳ありません。このコマンドは複数のリポジトリのポストモーテムを ${where} に集めるため、${where} での maintain または admin 権限が必要です。`,
    sourcesUnreadable: (count: number) => `あなたが読めないリポジトリ ${count} 件は対象から外しました。`,
  },
  {
    publishNeedsTriage: ["`mallory`", "by adding the `postmortem: published` label"],
    publishRefusedReply: ["`mallory`"],
    filingNeedsTriage: [2],
    tooManyFollowUps: [50, 1950],
    targetMissing: ["Item 3 (`Add a runbook`)", "`acme/nowhere`"],
    targetMoreVisible: ["Item 1 (`Rotate keys`)", "`acme/website`", "private", "public"],
    followUpsNotListed: [120],
    noticesNotListed: [7],
    heldBack: [3, "reading_list.allow_public"],
    metricsHeldBack: [2],
    gatherNeedsMaintain: ["`acme/handbook`"],
    sourcesUnreadable: [2],
  },
);
