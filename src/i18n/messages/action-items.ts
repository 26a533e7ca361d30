import { defineCatalog } from "../index.js";

/**
 * Problems with action items and their owners. `field` arrives formatted by
 * `fieldName`, user text already quoted (`quote`: mention-safe, one line).
 */
export const actionItemMessages = defineCatalog(
  "action-items",
  {
    item: (field: string, number: number, text: string) => `${field} item ${number} (${text})`,
    noText: "(no text)",
    ownerMissing: (item: string) =>
      `${item} has no owner. Add \`owner: <team>\`, \`owner: owner/repo\` or \`owner: @user\` (or a team's name, or a tracking issue such as \`#12\` when it is already tracked).`,
    ownerUnknown: (item: string, reason: string) => `${item}: ${reason}.`,
    type: (item: string, type: string, types: string) => `${item}: type ${type} is not one of ${types}.`,
    due: (item: string, due: string) => `${item}: due date ${due} is not a real date written as \`YYYY-MM-DD\` or \`YYYY/MM/DD\`.`,
    handleUnmapped: (handle: string) => `the team ${handle} is not mapped to a repository: add it to a team's \`handles\` in .github/postmortem.yml`,
    unknownOwner: (owner: string, teams: string) => `${owner} is not a known owner. Known teams: ${teams}. An owner can also be \`owner/repo\` or \`@user\``,
    unknownOwnerNoTeams: (owner: string) =>
      `${owner} is not a known owner. No teams are configured (\`teams\` in .github/postmortem.yml). An owner can also be \`owner/repo\` or \`@user\``,
  },
  {
    item: (field: string, number: number, text: string) => `${field}の${number}件目（${text}）`,
    noText: "（本文なし）",
    ownerMissing: (item: string) =>
      `${item}に担当がありません。\`担当: <チーム>\`、\`担当: owner/repo\`、\`担当: @user\` のいずれかを書いてください（チーム名でも構いません。すでに追跡中なら \`#12\` のように Issue を書いてください）。`,
    ownerUnknown: (item: string, reason: string) => `${item}の担当: ${reason}。`,
    type: (item: string, type: string, types: string) => `${item}: 種別 ${type} は ${types} のどれでもありません。`,
    due: (item: string, due: string) => `${item}: 期限 ${due} は実在する日付として読めません。\`YYYY-MM-DD\` か \`YYYY/MM/DD\` の形で書いてください。`,
    handleUnmapped: (handle: string) => `チーム ${handle} にリポジトリが割り当てられていません。.github/postmortem.yml のチームの \`handles\` に追加してください`,
    unknownOwner: (owner: string, teams: string) => `${owner} は既知の担当ではありません。設定済みのチーム: ${teams}。担当には \`owner/repo\` や \`@user\` も書けます`,
    unknownOwnerNoTeams: (owner: string) =>
      `${owner} は既知の担当ではありません。チームが設定されていません（.github/postmortem.yml の \`teams\`）。担当には \`owner/repo\` や \`@user\` も書けます`,
  },
  {
    item: ["**Action items**", 2, "`Alert on p99 latency`"],
    ownerMissing: ["**Action items** item 2 (`Alert on p99 latency`)"],
    ownerUnknown: ["**Action items** item 2 (`Alert on p99 latency`)", "`frontend` is not a known owner"],
    type: ["**Action items** item 2 (`Alert on p99 latency`)", "`someday`", "`prevent`, `detect`"],
    due: ["**Action items** item 2 (`Alert on p99 latency`)", "`2026-02-30`"],
    handleUnmapped: ["`@\u200bacme/web`"],
    unknownOwner: ["`frontend`", "`backend`, `sre`"],
    unknownOwnerNoTeams: ["`frontend`"],
  },
);
