import type { Config } from "../config/schema.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { labelMessages } from "../i18n/messages/labels.js";

/** The built-in reasons of `reading_list.reasons` and their catalog keys. */
const BUILT_IN = { lessons: "reasonLessons", architecture: "reasonArchitecture", response: "reasonResponse" } as const;

/**
 * A reading-list reason's description as a reader of `language` (by default
 * the config's; the reading list's may differ) sees it: the configured description, except that a built-in reason whose
 * description is still the built-in English default reads in the config's
 * language (Japanese for `ja`). A reason the config does not
 * define reads as its key.
 */
export function reasonDescription(config: Config, reason: string, language: Language = config.language): string {
  const configured = Object.hasOwn(config.reading_list.reasons, reason) ? config.reading_list.reasons[reason] : undefined;
  if (configured === undefined) return reason;
  const key = Object.hasOwn(BUILT_IN, reason) ? BUILT_IN[reason as keyof typeof BUILT_IN] : undefined;
  if (key === undefined || configured !== messagesOf(labelMessages, "en")[key]) return configured;
  return messagesOf(labelMessages, language)[key];
}
