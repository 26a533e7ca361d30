import { defineCatalog } from "../index.js";
import { formatList } from "../format.js";

const EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const JA_UNITS: Record<string, string> = { year: "年", month: "月", day: "日", hour: "時", minute: "分", second: "秒" };

/**
 * What the timestamp, time-window and duration readers say about an answer
 * they cannot read. `text` and `token` arrive already quoted (mention-safe);
 * each message is one clause that the caller follows with the accepted shapes.
 */
export const timestampMessages = defineCatalog(
  "timestamps",
  {
    formats:
      "`2026-11-20 14:03 JST`, `2026/11/20 14:03 (Asia/Tokyo)`, `2026年11月20日 14時03分`, `2026-11-20T05:03Z` or `2026-11-20T14:03:00+09:00` (a time without a zone is read in the configured `timezone`)",
    notATimestamp: (text: string) => `${text} is not a timestamp this app reads`,
    dateOnly: (text: string) => `${text} has a date but no time of day`,
    yearLast: (text: string) =>
      `${text} puts the year last, and day and month read differently from country to country; write the year first, then month and day: \`YYYY/MM/DD HH:mm\``,
    noYear: (text: string) => `${text} has no year; write the year first, then month and day: \`YYYY/MM/DD HH:mm\``,
    impossible: (text: string) => `${text} is not a real date or time`,
    wrongWeekday: (text: string, weekday: number) => `${text} names the wrong weekday: that date is a ${EN_WEEKDAYS[weekday - 1]}; check the date`,
    outOfRange: (text: string, unit: string, value: number) => `${text} is not a real date or time (${unit} ${value} is out of range)`,
    nonexistent: (date: string, time: string, zone: string) => `${date} ${time} does not exist in ${zone}: the clocks skipped it (daylight saving time)`,
    unknownZone: (token: string) => `${token} is not a time zone this app knows`,
    ambiguousZone: (token: string, zones: readonly string[]) =>
      `${token} is ambiguous: it can mean ${formatList(zones.map((z) => `\`${z}\``), "en", "disjunction")}; write the zone's name instead`,
    notARange: (text: string) => `${text} is not a time window (a start and an end)`,
    rangeStart: (reason: string) => `its start: ${reason}`,
    rangeEnd: (reason: string) => `its end: ${reason}`,
    rangeEndsEarlier: (text: string) => `${text} ends before it starts`,
    rangeEndNeedsDate: (text: string) =>
      `${text} ends at an earlier time of day than it starts; if it ended on a later day, write the end's date too (\`2026-09-14 23:40 – 2026-09-15 00:20\`)`,
    notADuration: (text: string) => `${text} is not a duration this app reads`,
  },
  {
    formats:
      "`2026/11/20 14:03 (JST)`、`2026年11月20日 14時03分`、`2026年11月20日 14:03 (日本時間)`、`2026-11-20 14:03 Asia/Tokyo`、`2026-11-20T14:03:00+09:00` など（タイムゾーンのない時刻は設定の `timezone` で読みます）",
    notATimestamp: (text: string) => `${text} は日時として読めません`,
    dateOnly: (text: string) => `${text} には日付しかなく、時刻がありません`,
    yearLast: (text: string) =>
      `${text} は年が最後にあり、月と日の順が国によって異なるため読めません。年・月・日の順に \`YYYY/MM/DD HH:mm\` の形で書いてください`,
    noYear: (text: string) => `${text} には年がありません。年・月・日の順に \`YYYY/MM/DD HH:mm\` の形で書いてください`,
    impossible: (text: string) => `${text} は実在しない日時です`,
    wrongWeekday: (text: string, weekday: number) => `${text} の曜日が日付と合いません（その日は${"月火水木金土日"[weekday - 1]}曜日です）。日付を確かめてください`,
    outOfRange: (text: string, unit: string, value: number) => `${text} は実在しない日時です（${JA_UNITS[unit] ?? unit}の値 ${value} が範囲外です）`,
    nonexistent: (date: string, time: string, zone: string) => `${date} ${time} は ${zone} には存在しない時刻です（夏時間の切り替えで飛ばされています）`,
    unknownZone: (token: string) => `${token} はこのアプリが知らないタイムゾーンです`,
    ambiguousZone: (token: string, zones: readonly string[]) =>
      `${token} は ${formatList(zones.map((z) => `\`${z}\``), "ja", "disjunction")} のどれとも読めるため使えません。タイムゾーン名で書いてください`,
    notARange: (text: string) => `${text} は期間（開始と終了）として読めません`,
    rangeStart: (reason: string) => `開始: ${reason}`,
    rangeEnd: (reason: string) => `終了: ${reason}`,
    rangeEndsEarlier: (text: string) => `${text} は終了が開始より前になっています`,
    rangeEndNeedsDate: (text: string) =>
      `${text} は終了時刻が開始時刻より早くなっています。翌日以降に終わった場合は、終了にも日付を書いてください（\`2026/09/14 23:40〜2026/09/15 00:20\`）`,
    notADuration: (text: string) => `${text} は時間の長さとして読めません`,
  },
  {
    notATimestamp: ["`yesterday`"],
    dateOnly: ["`2026/11/20`"],
    yearLast: ["`11/20/2026 14:03`"],
    noYear: ["`11/20 14:03`"],
    impossible: ["`2026-02-30 10:00`"],
    wrongWeekday: ["`2026/11/20(木) 14:03`", 5],
    outOfRange: ["`2026-13-01 10:00`", "month", 13],
    nonexistent: ["2026-03-08", "02:30", "America/New_York"],
    unknownZone: ["`Mars/Olympus`"],
    ambiguousZone: ["`CST`", ["America/Chicago", "Asia/Shanghai"]],
    notARange: ["`soon`"],
    rangeStart: ["`x` is not a timestamp this app reads"],
    rangeEnd: ["`x` is not a timestamp this app reads"],
    rangeEndsEarlier: ["`2026-09-14 03:04 – 2026-09-14 02:11`"],
    rangeEndNeedsDate: ["`2026-09-14 23:40–00:20`"],
    notADuration: ["`soon`"],
  },
);
