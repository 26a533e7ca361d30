import { formatDate } from "../format.js";
import { defineCatalog } from "../index.js";

/** A due date as written in a follow-up (`YYYY-MM-DD`), as Japanese readers write dates. */
const jaDay = (date: string) => formatDate(Date.parse(`${date}T00:00:00Z`), "UTC", "ja");

/** Reminder comments: a stalled draft, an overdue follow-up, a review past its deadline. `mentions` are the people addressed (`@a @b`), possibly none. */
export const reminderMessages = defineCatalog(
  "reminders",
  {
    draft: (mentions: string, days: number, repeatDays: number) =>
      `${mentions} this postmortem has been incomplete for ${days} days. Could you finish it? The status comment lists what is missing; I will not remind you again for ${repeatDays} days.`,
    overdue: (mentions: string, due: string) =>
      `${mentions ? `${mentions} ` : ""}this follow-up was due on ${due}. Please close it when it is done, or update its due date in the postmortem.`,
    /** A postmortem past its review deadline (`date` already formatted in the config's zone and language). */
    review: (mentions: string, date: string, repeatDays: number) =>
      `${mentions} this postmortem was to be reviewed and published by ${date}. Could you hold the review? I will not remind you again for ${repeatDays} days.`,
  },
  {
    draft: (mentions: string, days: number, repeatDays: number) =>
      `${mentions ? `${mentions} さん、` : ""}このポストモーテムは${days}日間、未完成のままです。仕上げていただけますか？足りない項目はステータスコメントに挙がっています。今後${repeatDays}日間は、このお知らせを再送しません。`,
    overdue: (mentions: string, due: string) =>
      `${mentions ? `${mentions} さん、` : ""}このフォローアップの期限は${jaDay(due)}でした。対応が済んだらこの Issue をクローズしてください。期限を変える場合は、ポストモーテムのアクションアイテムの期限を書き換えてください。`,
    review: (mentions: string, date: string, repeatDays: number) =>
      `${mentions ? `${mentions} さん、` : ""}このポストモーテムは${date}までにレビューして公開する予定でした。レビューの場を設けていただけますか？今後${repeatDays}日間は、このお知らせを再送しません。`,
  },
  { draft: ["@alice @bob", 4, 7], overdue: ["@kenji", "2026-12-15"], review: ["@alice", "2026-11-27", 7] },
);
