// The prize's calendar as pure functions: which state a competition is in at an
// instant, whether it takes entries (to the second), and times
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
  return what === 'winners'
    ? window.winnersPublishedAt !== null
    : window.shortlistPublishedAt !== null || window.winnersPublishedAt !== null;
}

export function prizeState(window: PrizeWindow, now: Date): PrizeState {
  if (seconds(now.getTime()) < seconds(Date.parse(window.opensAt))) return 'upcoming';
  if (acceptsEntries(window, now)) return 'open';
  if (resultsVisible(window, now, 'winners')) return 'winners';
  if (resultsVisible(window, now, 'shortlist')) return 'shortlist';
  return 'closed';
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
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local))
    return { ok: false, message: 'Enter a date and time, like 2026-08-01T12:00.' };
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
