// The prize's calendar as pure functions: which state a competition is in at an
// instant, whether it takes entries (to the second), the countdown, and times
// shown and entered in the competition's named zone (summer time included).
// Instants are stored in UTC; the zone only matters at the edges, for people.
import { existsInZone, formatInZone, utcToZonedInput, zonedToUtc } from '../../lib/dates.js';

export type PrizeState = 'upcoming' | 'open' | 'closed' | 'shortlist' | 'winners';

export interface PrizeWindow {
  opensAt: string;
  deadlineAt: string;
  announceAt: string;
  shortlistPublishedAt: string | null;
  winnersPublishedAt: string | null;
}

export const STATE_LABELS: Record<PrizeState, string> = {
  upcoming: 'Not open yet',
  open: 'Open for entries',
  closed: 'Closed: the jury is at work',
  shortlist: 'Shortlist announced',
  winners: 'Winners announced',
};

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Entries are taken from the opening instant up to and including the deadline's
 * second: with a deadline of 12:00:00, 12:00:00.900 is in time and 12:00:01 is
 * late. Clocks are compared in whole seconds so that milliseconds never decide.
 */
export function acceptsEntries(window: Pick<PrizeWindow, 'opensAt' | 'deadlineAt'>, now: Date): boolean {
  const t = seconds(now.getTime());
  return t >= seconds(Date.parse(window.opensAt)) && t <= seconds(Date.parse(window.deadlineAt));
}

export function isPastDeadline(window: Pick<PrizeWindow, 'deadlineAt'>, now: Date): boolean {
  return seconds(now.getTime()) > seconds(Date.parse(window.deadlineAt));
}

/** Results are public once published, and never before the announcement date. */
export function resultsVisible(window: PrizeWindow, now: Date, what: 'shortlist' | 'winners'): boolean {
  if (now.getTime() < Date.parse(window.announceAt)) return false;
  return what === 'winners' ? window.winnersPublishedAt !== null : window.shortlistPublishedAt !== null || window.winnersPublishedAt !== null;
}

export function prizeState(window: PrizeWindow, now: Date): PrizeState {
  if (seconds(now.getTime()) < seconds(Date.parse(window.opensAt))) return 'upcoming';
  if (acceptsEntries(window, now)) return 'open';
  if (resultsVisible(window, now, 'winners')) return 'winners';
  if (resultsVisible(window, now, 'shortlist')) return 'shortlist';
  return 'closed';
}

export interface Countdown {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  /** Whole seconds left; 0 once the moment has passed. */
  total: number;
}

export function countdown(to: string, now: Date): Countdown {
  const total = Math.max(0, seconds(Date.parse(to)) - seconds(now.getTime()));
  return { days: Math.floor(total / 86400), hours: Math.floor((total % 86400) / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60, total };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "12 days, 4 hours and 3 minutes"; seconds only in the last minute. */
export function countdownText(c: Countdown): string {
  if (c.total === 0) return 'no time';
  if (c.total < 60) return plural(c.seconds, 'second');
  const parts = [c.days ? plural(c.days, 'day') : '', c.hours ? plural(c.hours, 'hour') : '', c.days < 2 && c.minutes ? plural(c.minutes, 'minute') : ''].filter(Boolean);
  if (parts.length === 0) return plural(c.minutes, 'minute');
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** A moment of the prize as entrants see it, wherever they are: in the prize's zone, with the zone's short name. */
export function prizeTime(iso: string, zone: string): string {
  return formatInZone(iso, zone, { zoneName: true });
}

/**
 * A wall-clock time typed in a zone ('2026-08-01T12:00') as a UTC instant. A time
 * the clocks skip (the hour lost in spring) is refused rather than moved, so an
 * organiser never gets a deadline other than the one they typed.
 */
export function localToUtc(local: string, zone: string): { ok: true; iso: string } | { ok: false; message: string } {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return { ok: false, message: 'Enter a date and time, like 2026-08-01T12:00.' };
  let utc: Date;
  try {
    utc = zonedToUtc(local, zone);
  } catch {
    return { ok: false, message: 'That date does not exist. Check the day and the month.' };
  }
  if (!existsInZone(local, zone)) {
    return { ok: false, message: `That time does not exist in ${zone}: the clocks change then. Choose another time.` };
  }
  return { ok: true, iso: utc.toISOString() };
}

/** The value of a datetime-local input showing an instant in the zone. */
export function utcToLocal(iso: string, zone: string): string {
  return utcToZonedInput(iso, zone);
}
