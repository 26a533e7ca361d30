/**
 * Every text the app writes (GitHub, Slack, the terminal) comes from a typed
 * catalog per language. A catalog's `ja` has the type of its `en`, so a missing
 * or misshaped translation fails the type check; `samples` gives realistic
 * arguments for every message, so a test can render each key in both languages.
 */

export const LANGUAGES = ["en", "ja"] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- message arguments vary per key
export type Message = string | ((...args: any[]) => string);
export type Messages = Record<string, Message>;

/** Realistic arguments for every function message of a catalog (required by the type, so none is forgotten). */
export type Samples<M extends Messages> = { [K in keyof M as M[K] extends string ? never : K]: M[K] extends (...args: infer A) => string ? A : never };

export interface Catalog<M extends Messages> {
  name: string;
  byLanguage: Record<Language, M>;
  samples: Samples<M>;
}

/** A catalog's shape with literal texts widened to `string`, so a translation is not held to the English literal. */
export type Widened<M extends Messages> = { [K in keyof M]: M[K] extends string ? string : M[K] extends (...args: infer A) => string ? (...args: A) => string : never };

/** Defines one domain's messages: English first, Japanese of the same shape. */
export function defineCatalog<M extends Messages>(name: string, en: M, ja: NoInfer<Widened<M>>, samples: NoInfer<Samples<M>>): Catalog<Widened<M>> {
  return { name, byLanguage: { en: en as unknown as Widened<M>, ja }, samples: samples as unknown as Samples<Widened<M>> };
}

/** The messages of one catalog in a language. */
export function messagesOf<M extends Messages>(catalog: Catalog<M>, language: Language): M {
  return catalog.byLanguage[language];
}

/** One text in every language, for things defined once and shown in either (a command's description). */
export type Localized = Record<Language, string>;

export function inEveryLanguage<M extends Messages>(catalog: Catalog<M>, pick: (messages: M, language: Language) => string): Localized {
  return { en: pick(catalog.byLanguage.en, "en"), ja: pick(catalog.byLanguage.ja, "ja") };
}

/** The text of a `Localized` (or of a plain string, which reads the same in every language). */
export function localized(text: string | Localized, language: Language): string {
  return typeof text === "string" ? text : text[language];
}
