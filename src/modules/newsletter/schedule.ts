// When an issue goes out by default: the newsletter's usual weekday and time in
// its own zone (the Weekly Brief: Friday 16:00 in London, GMT or BST), the next
// time that comes round. Pure, so summer time is tested on its own.
import { addDays, dateInZone, weekdayOf, zonedToUtc } from '../../lib/dates.js';

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** The first instant after `now` that is `time` ('HH:mm') on `weekday` (0 = Sunday) in `timeZone`. */
export function nextSendTime(now: Date, weekday: number, time: string, timeZone: string): Date {
  const today = dateInZone(now, timeZone);
  for (let d = 0; d <= 7; d++) {
    const date = addDays(today, d);
    if (weekdayOf(date) !== weekday) continue;
    const at = zonedToUtc(`${date}T${time}`, timeZone);
    if (at.getTime() > now.getTime()) return at;
  }
  // Today is the day and the time has passed: a week on.
  return zonedToUtc(`${addDays(today, 7)}T${time}`, timeZone);
}
