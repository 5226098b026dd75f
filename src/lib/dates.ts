// Calendar arithmetic on 'YYYY-MM-DD' strings and ISO timestamps, in UTC unless a
// time zone is named. Zone rules come from Temporal (the temporal-polyfill until
// runtimes ship it), which knows every zone's summer-time history and refuses
// impossible dates; free of I/O and of Node-only code, so the browser bundles
// share it and the rules can be tested on their own.
import { Temporal } from 'temporal-polyfill';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const ZONE_RE = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/;

/** A calendar date; 31 February and other days that do not exist throw a RangeError. */
export function parseDateOnly(date: string): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  const { year, month, day } = Temporal.PlainDate.from(
    { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) },
    { overflow: 'reject' },
  );
  return { year, month, day };
}

/**
 * Age in whole years on a given day. Someone born on 29 February turns a year
 * older on 1 March in common years (the day after 28 February), which is what
 * comparing (month, day) pairs gives.
 */
export function ageOn(birthDate: string, onDate: string): number {
  const b = parseDateOnly(birthDate);
  const d = parseDateOnly(onDate);
  let age = d.year - b.year;
  if (d.month < b.month || (d.month === b.month && d.day < b.day)) age -= 1;
  return age;
}

function zoned(iso: string | Date, timeZone: string): Temporal.ZonedDateTime {
  const ms = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Not a date and time: ${String(iso)}`);
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
}

/** The calendar date of an instant in a time zone, as 'YYYY-MM-DD'. */
export function dateInZone(iso: string | Date, timeZone = 'UTC'): string {
  return zoned(iso, timeZone).toPlainDate().toString();
}

/** The calendar date `days` after a 'YYYY-MM-DD' date (before it when negative). */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDateOnly(date);
  return Temporal.PlainDate.from({ year, month, day }).add({ days }).toString();
}

/** The day of the week of a 'YYYY-MM-DD' date, 0 for Sunday to 6 for Saturday. */
export function weekdayOf(date: string): number {
  const { year, month, day } = parseDateOnly(date);
  return Temporal.PlainDate.from({ year, month, day }).dayOfWeek % 7;
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthYear = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "5 January 2026" */
export function formatLongDate(isoOrDate: string): string {
  return longDate.format(new Date(isoOrDate.length === 10 ? `${isoOrDate}T00:00:00Z` : isoOrDate));
}

/** "January 2026" */
export function formatMonthYear(date: string): string {
  return monthYear.format(new Date(date.length === 10 ? `${date}T00:00:00Z` : date));
}

/**
 * The UTC instant of a wall-clock time ('YYYY-MM-DDTHH:mm[:ss]') in a time zone.
 * A day that does not exist (31 February) throws a RangeError. Where the clocks
 * change, Temporal's 'compatible' rule applies, as calendars do: a time inside
 * the hour skipped in spring is moved forward by the length of the gap (02:30 on
 * the night Sydney goes from 02:00 to 03:00 is 03:30), and a time the autumn
 * hour repeats is its first occurrence (summer time).
 */
export function zonedToUtc(local: string, timeZone: string): Date {
  if (!LOCAL_RE.test(local)) throw new RangeError(`Not a local date-time: ${local}`);
  const instant = Temporal.PlainDateTime.from(local).toZonedDateTime(timeZone, { disambiguation: 'compatible' });
  return new Date(instant.epochMilliseconds);
}

/** Whether a wall-clock time happens in the zone: false inside the hour the clocks skip. */
export function existsInZone(local: string, timeZone: string): boolean {
  return utcToZonedInput(zonedToUtc(local, timeZone).toISOString(), timeZone) === local.slice(0, 16);
}

/** 'YYYY-MM-DDTHH:mm' of an instant in a zone, for datetime-local inputs. */
export function utcToZonedInput(iso: string, timeZone: string): string {
  return zoned(iso, timeZone).toPlainDateTime().toString({ smallestUnit: 'minute' });
}

/** Whether this is an IANA zone name the runtime knows (names only: no offsets, no markup). */
export function isTimeZone(zone: string): boolean {
  if (!ZONE_RE.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * "Saturday 1 August 2026, 12:00" in the zone, with the zone's short name after
 * it ("12:00 BST") when asked. Built from parts: ICU versions punctuate the whole
 * differently.
 */
export function formatInZone(iso: string | Date, timeZone: string, options: { zoneName?: boolean } = {}): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(options.zoneName ? { timeZoneName: 'short' } : {}),
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const zone = options.zoneName ? ` ${get('timeZoneName')}` : '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')}, ${get('hour')}:${get('minute')}${zone}`;
}

/** "5 Jun 2026, 16:00" in the zone: compact, for tables, timelines and notes. */
export function formatShortInZone(iso: string | Date, timeZone: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return date.toLocaleString('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
}

/** "1 August 2026" in the zone. */
export function formatDateInZone(iso: string | Date, timeZone: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}
