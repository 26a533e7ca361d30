import { defineCatalog } from "../index.js";

/** The reading list's pages and the reading-session issues. */
export const readingListMessages = defineCatalog(
  "reading-list",
  {
    title: "Postmortem reading list",
    pageTitle: (title: string, page: number) => `${title} (page ${page})`,
    dateUnknown: "date unknown",
    recommendedBy: (login: string) => `recommended by ${login}`,
    alsoFor: (reasons: string[]) => `also: ${reasons.join(", ")}`,
    plainGroup: "Recommended",
    reasonGroup: (description: string, label: string) => `${description} (\`${label}\`)`,
    /** `note`: a notice that follows the intro (postmortems held back), or null. */
    intro: (count: number, label: string, note: string | null) =>
      `Postmortems recommended for onboarding reading sessions: ${count} in all. Newest incident first. ` +
      `Recommend one with the \`${label}\` label (and \`${label}: <reason>\`), or with \`/postmortem recommend <reason> [note]\`. This list is kept by postmortem-bot; edits to it are overwritten.` +
      (note ? ` ${note}` : ""),
    pages: (links: string[]) => `Pages: ${links.join(" · ")}`,
    thisPage: "1 (this one)",
    pageOf: (page: number, firstUrl: string) => `Page ${page} of the [postmortem reading list](${firstUrl}).`,
    empty: "_No postmortem is recommended yet._",
    stalePage: (firstUrl: string) => `This page of the [postmortem reading list](${firstUrl}) is no longer needed.`,
    sessionTitle: (date: string) => `Postmortem reading session — ${date}`,
    sessionWelcome: (people: string[]) =>
      `Welcome! Read these postmortems before the session${people.length > 0 ? ` (for ${people.join(", ")})` : ""}. Tick each one when you have read it.`,
    sessionItem: (link: string, reasons: string[], date: string | null) => `- [ ] ${link} — ${reasons.join(", ") || "recommended"}${date ? `, ${date}` : ""}`,
    sessionTip: "While reading, look for: how the incident was detected, what slowed the response, and which action items changed the system.",
    setupBroken: "the postmortem setup of this repository is broken; see the status comments",
    listEmpty: (label: string) => `the reading list is empty: recommend postmortems with the \`${label}\` label first`,
  },
  {
    title: "ポストモーテムのリーディングリスト",
    pageTitle: (title: string, page: number) => `${title}（${page}ページ目）`,
    dateUnknown: "日付不明",
    recommendedBy: (login: string) => `推薦者: ${login}`,
    alsoFor: (reasons: string[]) => `ほかの推薦理由: ${reasons.join("、")}`,
    plainGroup: "おすすめ",
    reasonGroup: (description: string, label: string) => `${description}（\`${label}\`）`,
    intro: (count: number, label: string, note: string | null) =>
      `オンボーディングの輪読会向けに推薦されたポストモーテムです（全${count}件、新しい障害から順に並べています）。` +
      `推薦するには \`${label}\` ラベル（理由を添えるなら \`${label}: <理由>\` も）を付けるか、\`/postmortem recommend <理由> [メモ]\` とコメントしてください。このリストは postmortem-bot が管理しているため、手で編集しても上書きされます。` +
      (note ?? ""),
    pages: (links: string[]) => `ページ: ${links.join(" · ")}`,
    thisPage: "1（このページ）",
    pageOf: (page: number, firstUrl: string) => `[ポストモーテムのリーディングリスト](${firstUrl})の${page}ページ目です。`,
    empty: "_推薦されたポストモーテムはまだありません。_",
    stalePage: (firstUrl: string) => `[ポストモーテムのリーディングリスト](${firstUrl})のこのページは、もう使われていません。`,
    sessionTitle: (date: string) => `ポストモーテム輪読会 — ${date}`,
    sessionWelcome: (people: string[]) =>
      `ようこそ！輪読会の前に、次のポストモーテムを読んでおいてください${people.length > 0 ? `（対象: ${people.join("、")}）` : ""}。読み終えたものにはチェックを入れてください。`,
    sessionItem: (link: string, reasons: string[], date: string | null) => `- [ ] ${link} — ${reasons.join("、") || "おすすめ"}${date ? `（${date}）` : ""}`,
    sessionTip: "読むときは、障害がどのように検知されたか、何が対応を遅らせたか、どのアクションアイテムがシステムを変えたかに注目してください。",
    setupBroken: "このリポジトリのポストモーテムの設定が壊れています。ステータスコメントを確認してください",
    listEmpty: (label: string) => `リーディングリストが空です。先に \`${label}\` ラベルでポストモーテムを推薦してください`,
  },
  {
    pageTitle: ["Postmortem reading list", 2],
    recommendedBy: ["kenji"],
    alsoFor: [["Helps to understand the current architecture"]],
    intro: [14, "recommended", null],
    pages: [["1 (this one)", "[2](https://github.com/acme/postmortems/issues/41)"]],
    pageOf: [2, "https://github.com/acme/postmortems/issues/40"],
    stalePage: ["https://github.com/acme/postmortems/issues/40"],
    sessionTitle: ["2026-12-03"],
    sessionWelcome: [["alice", "bob"]],
    sessionItem: ["[Checkout failed for 38% of payments](https://github.com/acme/payments/issues/42)", [], "2026-11-20"],
    reasonGroup: ["Holds many lessons", "recommended: lessons"],
    listEmpty: ["recommended"],
  },
);
