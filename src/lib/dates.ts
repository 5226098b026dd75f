// Calendar arithmetic on 'YYYY-MM-DD' strings and ISO timestamps, in UTC unless a
// time zone is named. Kept free of I/O so the rules can be tested on their own.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDateOnly(date: string): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
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

/** The calendar date of an instant in a time zone, as 'YYYY-MM-DD'. */
export function dateInZone(iso: string | Date, timeZone = 'UTC'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    typeof iso === 'string' ? new Date(iso) : iso,
  );
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
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

/** The UTC instant of a wall-clock time ('YYYY-MM-DDTHH:mm') in a time zone, summer time included. */
export function zonedToUtc(local: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) throw new RangeError(`Not a local date-time: ${local}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  // Start from the zone's offset at that wall time read as UTC, then correct once for a change of offset between the two.
  let guess = wall - offsetMs(wall, timeZone);
  guess = wall - offsetMs(guess, timeZone);
  return new Date(guess);
}

/** The zone's offset from UTC at an instant, in milliseconds (BST: +3,600,000). */
export function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** 'YYYY-MM-DDTHH:mm' of an instant in a zone, for datetime-local inputs. */
export function utcToZonedInput(iso: string, timeZone: string): string {
  const t = Date.parse(iso);
  return new Date(t + offsetMs(t, timeZone)).toISOString().slice(0, 16);
}
