import { defineCatalog } from "../index.js";

/** The fixed words of a follow-up issue's body (the action's own text is the writer's). */
export const followUpMessages = defineCatalog(
  "follow-ups",
  {
    type: "Type",
    due: "Due",
    severity: "Severity",
    incident: "Incident",
    postmortem: "Postmortem",
    filedMinimal: "Filed by postmortem-bot from an action item of a postmortem in a private repository.",
    filed: "Filed by postmortem-bot from an action item of the postmortem above. Closing this issue ticks the item there.",
  },
  {
    type: "種類",
    due: "期限",
    severity: "重大度",
    incident: "発生日",
    postmortem: "ポストモーテム",
    filedMinimal: "非公開リポジトリにあるポストモーテムのアクションアイテムから、postmortem-bot が起票しました。",
    filed: "上記のポストモーテムのアクションアイテムから、postmortem-bot が起票しました。この Issue をクローズすると、ポストモーテム側のアイテムにチェックが入ります。",
  },
  {},
);
