import type { Language } from "../i18n/index.js";
import { messagesOf } from "../i18n/index.js";
import { timestampMessages } from "../i18n/messages/timestamps.js";
import { quote } from "./text.js";
import { normalizeWritten } from "./timestamps.js";

export type ParsedDuration = { ok: true; seconds: number } | { ok: false; code: "duration-format"; reason: string };

const UNIT_SECONDS: [RegExp, number][] = [
  [/^(?:d|days?|日)$/i, 86_400],
  [/^(?:h|hrs?|hours?|時間)$/i, 3_600],
  [/^(?:m|mins?|minutes?|分|分間)$/i, 60],
  [/^(?:s|secs?|seconds?|秒|秒間)$/i, 1],
];
const CLOCK = /^(\d{1,3}):(\d{2})(?::(\d{2}))?$/;
const AMOUNTS = /(\d+(?:\.\d+)?) ?([a-z]+|時間|分間?|秒間?|日)(?:,? (?:and )?|,)?/giy;

/**
 * Reads a stated duration, the answer to a "minutes to detect" style field:
 * `38` (a bare number is minutes), `38 minutes`, `38m`, `1h 20m`, `1:20`
 * (hours and minutes), `1時間20分`, `38分`, `90秒`. Units run from largest to
 * smallest, each at most once, so a typo is refused instead of guessed.
 */
export function parseStatedDuration(input: string, language: Language = "en"): ParsedDuration {
  const m = messagesOf(timestampMessages, language);
  const text = normalizeWritten(input);
  const refused: ParsedDuration = { ok: false, code: "duration-format", reason: m.notADuration(quote(text)) };
  if (text.length > 60) return refused;
  if (/^\d+(?:\.\d+)?$/.test(text)) return { ok: true, seconds: Math.round(Number(text) * 60) };
  const clock = CLOCK.exec(text);
  if (clock) {
    if (Number(clock[2]) > 59 || Number(clock[3] ?? 0) > 59) return refused;
    return { ok: true, seconds: Number(clock[1]) * 3_600 + Number(clock[2]) * 60 + Number(clock[3] ?? 0) };
  }
  let seconds = 0;
  let smallest = Infinity;
  AMOUNTS.lastIndex = 0;
  let read = 0;
  for (let match = AMOUNTS.exec(text); match; match = AMOUNTS.exec(text)) {
    const size = UNIT_SECONDS.find(([unit]) => unit.test(match![2]!))?.[1];
    if (size === undefined || size >= smallest) return refused;
    smallest = size;
    seconds += Number(match[1]) * size;
    read = AMOUNTS.lastIndex;
  }
  if (read !== text.length || smallest === Infinity) return refused;
  return { ok: true, seconds: Math.round(seconds) };
}
