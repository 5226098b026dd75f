// The countdown to a prize's deadline, in words. Free of imports, so the prize
// page's script counts down in the browser with the server's own words.

export interface Countdown {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  /** Whole seconds left; 0 once the moment has passed. */
  total: number;
}

/** Whole seconds left split into days, hours, minutes and seconds. */
export function countdownOf(secondsLeft: number): Countdown {
  const total = Math.max(0, Math.floor(secondsLeft));
  return {
    days: Math.floor(total / 86400),
    hours: Math.floor((total % 86400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
    total,
  };
}

/** The countdown from `now` to an instant, compared in whole seconds as the deadline is. */
export function countdown(to: string, now: Date): Countdown {
  return countdownOf(Math.floor(Date.parse(to) / 1000) - Math.floor(now.getTime() / 1000));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "12 days, 4 hours and 3 minutes"; seconds only in the last minute, minutes only in the last two days. */
export function countdownText(c: Countdown): string {
  if (c.total === 0) return 'no time';
  if (c.total < 60) return plural(c.seconds, 'second');
  const parts = [
    c.days ? plural(c.days, 'day') : '',
    c.hours ? plural(c.hours, 'hour') : '',
    c.days < 2 && c.minutes ? plural(c.minutes, 'minute') : '',
  ].filter(Boolean);
  if (parts.length === 0) return plural(c.minutes, 'minute');
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
