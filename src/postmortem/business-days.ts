import { DateTime } from "luxon";

/**
 * Business days: every day but Saturday, Sunday and the config's `holidays`,
 * counted on the calendar of the config's `timezone`. An instant's own day
 * never counts, so "within 5 business days of Friday's recovery" ends on the
 * next Friday, and a recovery on Saturday gives the same deadline as one on
 * the Friday before it.
 */
export interface BusinessCalendar {
  zone: string;
  /** `YYYY-MM-DD` dates in `zone`. */
  holidays: ReadonlySet<string>;
}

export function calendarOf(config: { timezone: string; holidays: readonly string[] }): BusinessCalendar {
  return { zone: config.timezone, holidays: new Set(config.holidays) };
}

export function isBusinessDay(day: DateTime, calendar: BusinessCalendar): boolean {
  // Luxon: 6 is Saturday, 7 is Sunday.
  return day.weekday < 6 && !calendar.holidays.has(day.toISODate() ?? "");
}

/** A deadline: the last business day (`YYYY-MM-DD` in the calendar's zone) and the instant it ends. */
export interface Deadline {
  date: string;
  /** Epoch ms of the end of `date` in the zone: past it, the deadline is missed. */
  endsAt: number;
}

/** The day `days` business days after the day of `fromMs`. */
export function addBusinessDays(fromMs: number, days: number, calendar: BusinessCalendar): Deadline {
  let day = DateTime.fromMillis(fromMs, { zone: calendar.zone }).startOf("day");
  for (let counted = 0; counted < days; ) {
    day = day.plus({ days: 1 });
    if (isBusinessDay(day, calendar)) counted++;
  }
  return { date: day.toISODate()!, endsAt: day.endOf("day").toMillis() };
}

/** Today's date (`YYYY-MM-DD`) in the calendar's zone. */
export function dateIn(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone }).toISODate()!;
}
