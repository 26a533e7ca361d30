import { defineCatalog } from "../index.js";

/** Descriptions of the labels the app creates, and the reading list's default reasons. */
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
    incomplete: "ポストモーテムに直すべき問題があります（ステータスコメントを参照）",
    ready: "ポストモーテムが完成し、レビューできる状態です",
    published: "レビュー済みのポストモーテム。アクションアイテムはフォローアップとして起票済みです",
    actionsDone: "このポストモーテムのフォローアップはすべてクローズされました",
    recommended: "オンボーディングで読むことをおすすめします",
    reasonLessons: "学びが多い",
    reasonArchitecture: "現在のアーキテクチャを理解するのに役立つ",
    reasonResponse: "障害対応の進め方の参考になる",
  },
  {},
);
