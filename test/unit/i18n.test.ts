import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../../src/i18n/index.js";
import { fieldName, formatDate, formatDateTime, formatDuration, formatList } from "../../src/i18n/format.js";
import { ALL_CATALOGS } from "../../src/i18n/messages/all.js";

// Kana, kanji, and Japanese punctuation and full-width forms (a message that only frames other text, like `（…）`, uses those).
const JAPANESE = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

describe("message catalogs", () => {
  for (const catalog of ALL_CATALOGS) {
    describe(catalog.name, () => {
      const keys = Object.keys(catalog.byLanguage.en);
      it("has the same keys in every language", () => {
        for (const language of LANGUAGES) expect(Object.keys(catalog.byLanguage[language]).sort()).toEqual([...keys].sort());
      });
      for (const key of keys) {
        it(`renders ${key} in every language with realistic arguments`, () => {
          const rendered = LANGUAGES.map((language) => {
            const message = catalog.byLanguage[language][key]!;
            const args = (catalog.samples as Record<string, unknown[]>)[key];
            if (typeof message === "function") expect(args, `samples.${key}`).toBeDefined();
            return typeof message === "string" ? message : message(...(args ?? []));
          });
          for (const text of rendered) {
            expect(text.trim()).not.toBe("");
            expect(text).not.toMatch(/undefined|NaN|\[object Object\]/);
          }
          const [en, ja] = rendered as [string, string];
          expect(ja, `ja.${key} reads as Japanese`).toMatch(JAPANESE);
          // Code spans are literal examples (`2026年11月20日 14時03分` is an accepted shape), not prose.
          expect(en.replace(/`[^`]*`/g, ""), `en.${key} has no Japanese`).not.toMatch(JAPANESE);
        });
      }
    });
  }
});

describe("formatting by language", () => {
  it("durations read naturally", () => {
    expect(formatDuration(98 * 60, "ja")).toBe("1時間38分");
    expect(formatDuration(98 * 60, "en")).toBe("1h 38m");
    expect(formatDuration(2 * 86_400 + 4 * 3_600 + 59, "ja")).toBe("2日4時間");
    expect(formatDuration(2 * 86_400 + 5 * 60, "en")).toBe("2d");
    expect(formatDuration(3_600, "ja")).toBe("1時間");
    expect(formatDuration(45, "ja")).toBe("45秒");
    expect(formatDuration(45)).toBe("45s");
  });
  it("dates carry their zone", () => {
    const at = Date.UTC(2026, 10, 20, 5, 3);
    expect(formatDateTime(at, "Asia/Tokyo", "ja")).toBe("2026年11月20日 14:03 (JST)");
    expect(formatDateTime(at, "Asia/Tokyo", "en")).toBe("2026-11-20 14:03 (GMT+9)");
    expect(formatDateTime(at, "UTC", "en")).toBe("2026-11-20 05:03 (UTC)");
    expect(formatDate(at, "Asia/Tokyo", "ja")).toBe("2026年11月20日");
  });
  it("lists and field names", () => {
    expect(formatList(["a", "b", "c"], "en")).toBe("a, b, and c");
    expect(formatList(["a", "b", "c"], "ja")).toBe("a、b、c");
    expect(fieldName("影響開始", "ja")).toBe("「影響開始」");
    expect(fieldName("Impact started")).toBe("**Impact started**");
  });
});
