import { defineCatalog } from "../index.js";

/** The comment on a pull request that touches code named by postmortems. */
export const pullRequests = defineCatalog(
  "pull-requests",
  {
    heading: "### Postmortems related to this pull request",
    intro: (count: number) =>
      `This pull request changes code that ${count === 1 ? "a postmortem names" : `${count} postmortems name`}. If one of their follow-ups belongs here, this is a good moment to do it.`,
    paths: (paths: string) => `touches ${paths}`,
    openFollowUps: "Open follow-ups in this repository:",
    noOpenFollowUps: "No open follow-ups in this repository.",
    footer: "<sub>Kept current by postmortem-bot as the pull request changes (only postmortems readers of this repository may see).</sub>",
  },
  {
    heading: "### このプルリクエストに関係するポストモーテム",
    intro: (count: number) => `このプルリクエストは、${count}件のポストモーテムが挙げているコードを変更しています。フォローアップのうちここで対応できるものがあれば、ぜひこの機会に対応してください。`,
    paths: (paths: string) => `該当箇所: ${paths}`,
    openFollowUps: "このリポジトリの未完了のフォローアップ:",
    noOpenFollowUps: "このリポジトリに未完了のフォローアップはありません。",
    footer: "<sub>postmortem-bot がプルリクエストの変更に合わせて更新しています（このリポジトリの読者が見られるポストモーテムだけを表示します）。</sub>",
  },
  { intro: [2], paths: ["`src/payments/pool.ts`"] },
);
