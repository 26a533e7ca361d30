import { defineCatalog } from "../index.js";

/**
 * Descriptions of the labels the app creates, and the reading list's default reasons
 * (their English is `reading_list.reasons`' default in the config schema; see src/postmortem/reason-text.ts).
 */
export const labelMessages = defineCatalog(
  "labels",
  {
    incomplete: "Postmortem has problems to fix; see the status comment",
    ready: "Postmortem is complete and ready for review",
    published: "Postmortem reviewed; its action items are filed as follow-ups",
    actionsDone: "Every follow-up of this postmortem is closed",
    recommended: "Recommended reading for onboarding",
    reasonLessons: "Holds many lessons",
    reasonArchitecture: "Helps to understand the current architecture",
    reasonResponse: "A reference for how to act during an incident",
  },
  {
    incomplete: "ポストモーテムに修正が必要な問題があります（ステータスコメントを参照してください）",
    ready: "ポストモーテムが完成し、レビューできる状態です",
    published: "レビュー済みです。アクションアイテムはフォローアップとして起票されています",
    actionsDone: "このポストモーテムのフォローアップはすべてクローズされました",
    recommended: "オンボーディングで読むのにおすすめのポストモーテムです",
    reasonLessons: "学びが多い",
    reasonArchitecture: "現在のアーキテクチャの理解に役立つ",
    reasonResponse: "障害対応の進め方の参考になる",
  },
  {},
);
