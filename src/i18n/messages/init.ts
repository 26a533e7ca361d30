import { defineCatalog } from "../index.js";

/** `postmortem-bot init` (alias `doctor`): what the app reads from an org's form, and a starter config. */
export const init = defineCatalog(
  "init",
  {
    form: (file: string, name: string, count: number) => `Form: ${file} ("${name}", ${count} ${count === 1 ? "field" : "fields"})`,
    builtInForm: "The repository has no postmortem form of its own, so this is the built-in form.",
    rolesHeading: "Roles (which field plays each):",
    levelsHeading: (from: string): string =>
      from === "config" ? "Severity levels (from `severities` in the config), most severe first:" : from === "form" ? "Severity levels (the options of the form's severity dropdown, by their leading token), most severe first:" : "Severity levels (the default; the form has no severity dropdown):",
    metricsHeading: "Metrics:",
    actionItemsHeading: (field: string) => `Action items (${field}): one item per list item, table row or line, for example`,
    actionItemsShape:
      "  - [detect] platform-team — alarm on queue depth — due: 2026-12-15\n  - [ ] Write a failover runbook owner: @acme/sre type: process\n  An item ending in #12, owner/repo#12 or an issue URL is already tracked: nothing is filed for it and it needs no owner.",
    formAsks: (text: string) => `  The form asks: ${text}`,
    noActionItems: "Action items: the form has no action-items field, so no follow-up issues will be filed.",
    starterHeading: "Starter .github/postmortem.yml (write it with --write <path>):",
    starterComment: (file: string) => `# Starter config written by \`postmortem-bot init\` from ${file}.\n# The fields were matched by their ids and labels; change any line that names the wrong field.`,
    notFoundComment: (key: string, role: string) => `# ${key}: no field found for ${role}`,
    levelsComment: (levels: string) => `# Severity levels are read from the form's dropdown: ${levels}. Pin them here only to override the form.`,
    wrote: (path: string) => `Wrote ${path}.`,
    exists: (path: string) => `${path} already exists; add --force to overwrite it.`,
    ttrOk: "TTR can be computed from this form.",
    ttrMissing: (roles: string, keys: string) =>
      `TTR cannot be computed: no field gives ${roles}. Add an input field for it to the form (such as "Impact started" and "Recovered", or one "Impact window" holding both), or name an existing field in ${keys} in .github/postmortem.yml.`,
  },
  {
    form: (file: string, name: string, count: number) => `フォーム: ${file}（「${name}」、${count} 項目）`,
    builtInForm: "このリポジトリには独自のポストモーテムフォームがないため、組み込みのフォームを表示しています。",
    rolesHeading: "役割（各役割を担う項目）:",
    levelsHeading: (from: string): string =>
      from === "config"
        ? "重大度のレベル（設定の `severities` から。重い順）:"
        : from === "form"
          ? "重大度のレベル（フォームの重大度ドロップダウンの選択肢の先頭の語。重い順）:"
          : "重大度のレベル（既定値。フォームに重大度のドロップダウンがありません）:",
    metricsHeading: "指標:",
    actionItemsHeading: (field: string) => `アクションアイテム（${field}）: リストの項目・表の行・1 行ごとに 1 件です。例:`,
    actionItemsShape:
      "  - [detect] platform-team — キュー滞留のアラームを追加 — 期限: 2026-12-15\n  - [ ] 切り替え手順書を書く 担当: @acme/sre type: process\n  末尾に #12、owner/repo#12、Issue の URL がある項目は追跡済みです。起票はせず、担当者も不要です。",
    formAsks: (text: string) => `  フォームの説明: ${text}`,
    noActionItems: "アクションアイテム: フォームにアクションアイテムの項目がないため、フォローアップの Issue は起票しません。",
    starterHeading: "最初の .github/postmortem.yml（--write <パス> で書き出せます）:",
    starterComment: (file: string) => `# \`postmortem-bot init\` が ${file} から書き出した最初の設定です。\n# 項目は ID とラベルから対応づけました。違う項目を指している行は書き換えてください。`,
    notFoundComment: (key: string, role: string) => `# ${key}: ${role}にあたる項目が見つかりません`,
    levelsComment: (levels: string) => `# 重大度のレベルはフォームのドロップダウンから読み取ります: ${levels}。フォームと違うレベルにしたいときだけ、ここに書いてください。`,
    wrote: (path: string) => `${path} に書き出しました。`,
    exists: (path: string) => `${path} はすでにあります。上書きするには --force を付けてください。`,
    ttrOk: "このフォームから TTR を算出できます。",
    ttrMissing: (roles: string, keys: string) =>
      `TTR を算出できません。${roles}にあたる項目がありません。フォームに入力項目を追加する（「影響開始」と「復旧日時」、または両方を書く「影響期間」など）か、.github/postmortem.yml の ${keys} で既存の項目を指定してください。`,
  },
  {
    form: ["incident.yml", "Incident postmortem", 18],
    levelsHeading: ["form"],
    actionItemsHeading: ["**Action items**"],
    formAsks: ["One line each — [class] owning team — what changes — tracking issue."],
    starterComment: ["forms/incident.yml"],
    notFoundComment: ["detected_at", "detected"],
    levelsComment: ["P0, P1, P2, P3"],
    wrote: [".github/postmortem.yml"],
    exists: [".github/postmortem.yml"],
    ttrMissing: ["impact started and recovered", "`fields.started_at` or `fields.recovered_at`"],
  },
);
