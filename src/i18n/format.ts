import { DateTime } from "luxon";
import type { Language } from "./index.js";

/**
 * Durations as a reader of each language expects them: `1h 38m` / `1時間38分`.
 * At most the two largest units, rounded down; zero units are dropped.
 */
export function formatDuration(seconds: number, language: Language = "en"): string {
  const units = language === "ja" ? JA_UNITS : EN_UNITS;
  if (seconds < 60) return `${Math.max(0, Math.floor(seconds))}${units.s}`;
  const sizes: [keyof typeof units, number][] = [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
  ];
  const parts: string[] = [];
  let rest = Math.floor(seconds);
  for (const [unit, size] of sizes) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0 || parts.length > 0) parts.push(amount > 0 ? `${amount}${units[unit]}` : "");
    if (parts.length === 2) break;
  }
  return parts.filter(Boolean).join(units.join);
}

const EN_UNITS = { d: "d", h: "h", m: "m", s: "s", join: " " };
const JA_UNITS = { d: "日", h: "時間", m: "分", s: "秒", join: "" };

/** `2026-11-20 14:03 (GMT+9)` / `2026年11月20日 14:03 (JST)`, in the given IANA zone. */
export function formatDateTime(epochMs: number, zone: string, language: Language = "en"): string {
  const at = DateTime.fromMillis(epochMs, { zone });
  if (language === "ja") return at.setLocale("ja").toFormat("yyyy年M月d日 HH:mm (ZZZZ)");
  return at.setLocale("en-US").toFormat("yyyy-MM-dd HH:mm (ZZZZ)");
}

/** `2026-11-20` / `2026年11月20日`. */
export function formatDate(epochMs: number, zone: string, language: Language = "en"): string {
  const at = DateTime.fromMillis(epochMs, { zone });
  return language === "ja" ? at.toFormat("yyyy年M月d日") : at.toFormat("yyyy-MM-dd");
}

/** `a, b and c` / `a、b、c`. */
export function formatList(items: readonly string[], language: Language = "en", type: "conjunction" | "disjunction" = "conjunction"): string {
  return new Intl.ListFormat(language === "ja" ? "ja" : "en", { type, style: "long" }).format(items);
}

/** A form field's name as the form writes it: **Impact started** / 「影響開始」. */
export function fieldName(label: string, language: Language = "en"): string {
  return language === "ja" ? `「${label}」` : `**${label}**`;
}
