import { IANAZone } from "luxon";

/**
 * Zone abbreviations accepted after a local timestamp. Only abbreviations with a
 * single meaning are listed: CST, IST and BST each name several zones, so they
 * are refused with a hint rather than guessed. Each maps to a fixed offset
 * because an abbreviation already says whether daylight time applies.
 */
export const ZONE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  UTC: "UTC",
  GMT: "UTC",
  Z: "UTC",
  JST: "UTC+9",
  KST: "UTC+9",
  HKT: "UTC+8",
  SGT: "UTC+8",
  AWST: "UTC+8",
  ACST: "UTC+9:30",
  ACDT: "UTC+10:30",
  AEST: "UTC+10",
  AEDT: "UTC+11",
  NZST: "UTC+12",
  NZDT: "UTC+13",
  WET: "UTC+0",
  WEST: "UTC+1",
  CET: "UTC+1",
  CEST: "UTC+2",
  EET: "UTC+2",
  EEST: "UTC+3",
  MSK: "UTC+3",
  EST: "UTC-5",
  EDT: "UTC-4",
  CDT: "UTC-5",
  MST: "UTC-7",
  MDT: "UTC-6",
  PST: "UTC-8",
  PDT: "UTC-7",
  AKST: "UTC-9",
  AKDT: "UTC-8",
  HST: "UTC-10",
};

/** Zone names written in Japanese, read as the abbreviation they mean. */
export const ZONE_WORDS: Readonly<Record<string, string>> = {
  日本時間: "JST",
  日本標準時: "JST",
  協定世界時: "UTC",
  世界標準時: "UTC",
};

/** Abbreviations deliberately refused because they are ambiguous: the zones each can mean. */
export const AMBIGUOUS_ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  CST: ["America/Chicago", "Asia/Shanghai"],
  IST: ["Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"],
  BST: ["Europe/London", "Asia/Dhaka"],
  AST: ["America/Halifax", "Asia/Riyadh"],
};

const zones = new Map<string, IANAZone | null>();

/** An IANA zone by name, or null; memoized, since luxon's check builds an Intl formatter each time. */
export function ianaZone(name: string): IANAZone | null {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = IANAZone.isValidZone(name) ? IANAZone.create(name) : null;
    if (zones.size >= 1_000) zones.clear();
    zones.set(name, zone);
  }
  return zone;
}

export function isKnownZone(name: string): boolean {
  return name === "UTC" || ianaZone(name) !== null;
}
