import { defineCatalog } from "../index.js";

/**
 * The problems validatePostmortem reports: one sentence on what is wrong and
 * how to fix it. Arguments arrive already quoted and mention-safe (`field` is
 * the field's name as fieldName writes it, `value` a quote()d answer).
 */
export const validation = defineCatalog(
  "validation",
  {
    notAForm: (form: string, headings: string) =>
      `This issue does not follow the postmortem form: none of its \`###\` headings matches a field of ${form}. Open postmortems from the form (New issue → ${form}), or give the body the form's headings: ${headings}.`,
    missingSection: (field: string, label: string) =>
      `${field} is missing: the body has no \`### ${label}\` heading (renamed or deleted?). Add the heading back, exactly as written here, with the answer below it.`,
    required: (field: string, howToFill: string) => `${field} is required but empty. ${howToFill}`,
    invalidOption: (field: string, values: string, more: number, count: number, howToFill: string) =>
      `${field}: ${values}${more > 0 ? ` and ${more} more` : ""} ${count === 1 ? "is" : "are"} not among the form's options. ${howToFill}`,
    tooManyChoices: (field: string, count: number, values: string) => `${field} takes one choice but has ${count}: ${values}. Keep one.`,
    checkboxRequired: (field: string, option: string) => `${field}: ${option} must be ticked. Tick it with \`- [x]\`.`,
    unknownSeverity: (field: string, value: string, levels: string) =>
      `${field}: ${value} is not a known severity. Use one of ${levels}, or add it to \`severities\` in .github/postmortem.yml.`,
    badTimestamp: (field: string, reason: string, formats: string) => `${field}: ${reason}. Write it as ${formats}.`,
    badTimeRange: (field: string, reason: string) => `${field}: ${reason}. Write the start and the end, such as \`2026-09-14 02:11–03:04 UTC\` or \`2026-09-14 02:11 UTC to 2026-09-14 03:04 UTC\`.`,
    badDuration: (field: string, reason: string) => `${field}: ${reason}. Write a number of minutes (\`18\`), or a duration such as \`1h 20m\`.`,
    futureTimestamp: (field: string, value: string) => `${field} (${value}) is in the future. Check the date, the time and the zone.`,
    timestampOrder: (later: string, earlier: string, order: string) => `${later} is earlier than ${earlier}. Times must be in order: ${order}; check dates and zones.`,
    chooseOneOf: (options: string) => `Choose one of ${options}.`,
    chooseFrom: (options: string) => `Choose from ${options}.`,
    tickBoxes: "Tick the boxes that apply.",
    writeUnder: (label: string) => `Write it under the \`### ${label}\` heading (replace \`_No response_\`).`,
  },
  {
    notAForm: (form: string, headings: string) =>
      `この Issue はポストモーテムのフォームに沿っていません。\`###\` の見出しが ${form} のどの項目とも一致しません。ポストモーテムはフォームから作成するか（New Issue → ${form}）、本文にフォームの見出しを付けてください: ${headings}。`,
    missingSection: (field: string, label: string) =>
      `${field}がありません。本文に \`### ${label}\` の見出しが見つかりません（名前を変えたか、消しましたか）。ここに書かれているとおりの見出しを戻し、その下に回答を書いてください。`,
    required: (field: string, howToFill: string) => `${field}は必須ですが、空欄です。${howToFill}`,
    invalidOption: (field: string, values: string, more: number, _count: number, howToFill: string) =>
      `${field}: ${values}${more > 0 ? `ほか${more}件` : ""}はフォームの選択肢にありません。${howToFill}`,
    tooManyChoices: (field: string, count: number, values: string) => `${field}は 1 つだけ選ぶ項目ですが、${count} 個選ばれています: ${values}。1 つにしてください。`,
    checkboxRequired: (field: string, option: string) => `${field}: ${option} にチェックが必要です。\`- [x]\` にしてください。`,
    unknownSeverity: (field: string, value: string, levels: string) =>
      `${field}: ${value} は既知の重大度ではありません。${levels} のいずれかを使うか、.github/postmortem.yml の \`severities\` に追加してください。`,
    badTimestamp: (field: string, reason: string, formats: string) => `${field}: ${reason}。書き方の例: ${formats}。`,
    badTimeRange: (field: string, reason: string) => `${field}: ${reason}。開始と終了を \`2026-09-14 02:11〜03:04 UTC\` のように書いてください。`,
    badDuration: (field: string, reason: string) => `${field}: ${reason}。分数（\`18\`）か、\`1時間20分\` のような時間で書いてください。`,
    futureTimestamp: (field: string, value: string) => `${field}（${value}）が未来の日時になっています。日付・時刻・タイムゾーンを確認してください。`,
    timestampOrder: (later: string, earlier: string, order: string) =>
      `${later}が${earlier}より前になっています。日時は ${order} の順になるはずです。日付とタイムゾーンを確認してください。`,
    chooseOneOf: (options: string) => `${options} のいずれかを選んでください。`,
    chooseFrom: (options: string) => `${options} から選んでください。`,
    tickBoxes: "当てはまる項目にチェックを入れてください。",
    writeUnder: (label: string) => `\`### ${label}\` の見出しの下に書いてください（\`_No response_\` を書き換えます）。`,
  },
  {
    notAForm: ['"Postmortem"', "`### Summary`, `### Severity`"],
    missingSection: ["**Impact started**", "Impact started"],
    required: ["**Summary**", "Write it under the `### Summary` heading (replace `_No response_`)."],
    invalidOption: ["**Severity**", '"SEV9"', 0, 1, "Choose one of `SEV1`, `SEV2`."],
    tooManyChoices: ["**Severity**", 2, '"SEV1", "SEV2"'],
    checkboxRequired: ["**Blameless review**", '"This postmortem is blameless"'],
    unknownSeverity: ["**Severity**", '"SEV9"', "`SEV1`, `SEV2`"],
    badTimestamp: ["**Detected**", '"yesterday" is not a timestamp this app reads', "`2026-11-20 14:03 UTC`"],
    badTimeRange: ["**Impact window**", '"soon" is not a time range this app reads'],
    badDuration: ["**Minutes to detect**", '"a while" is not a duration'],
    futureTimestamp: ["**Recovered**", '"2099-01-01 10:00 UTC"'],
    timestampOrder: ["**Detected**", "**Impact started**", "Impact started ≤ Detected ≤ Recovered"],
    chooseOneOf: ["`SEV1`, `SEV2`"],
    chooseFrom: ["`api`, `web`"],
    writeUnder: ["Summary"],
  },
);
