// The issue composer's one enhancement: times are entered and shown in the
// newsletter's zone (Europe/London for the Weekly Brief); this script adds the
// same instant in the editor's own zone, and keeps it in step with the schedule
// field. Without it the page shows the newsletter's zone and UTC.
//
// Contract with the page: [data-your-time][data-utc] elements get the instant
// in the browser's zone; an input[data-zoned-input][data-zone] updates the
// element named by its data-local-output.
import { zonedToUtc } from '../../../lib/dates.js';

/** The instant a typed wall-clock time stands for in the zone, or null while the field is incomplete or impossible. */
function instantOf(local: string, timeZone: string): Date | null {
  try {
    return zonedToUtc(local.slice(0, 16), timeZone);
  } catch {
    return null;
  }
}

function describe(date: Date, zone: string): string {
  const when = date.toLocaleString('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `${when.replace(' at ', ', ')} in your time zone (${zone})`;
}

function start(): void {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll<HTMLElement>('[data-your-time][data-utc]').forEach((el) => {
    const date = new Date(el.dataset.utc ?? '');
    if (Number.isNaN(date.getTime())) return;
    el.textContent = describe(date, zone);
    el.hidden = false;
  });
  document.querySelectorAll<HTMLInputElement>('input[data-zoned-input]').forEach((input) => {
    const output = document.getElementById(input.dataset.localOutput ?? '');
    const update = () => {
      const date = instantOf(input.value, input.dataset.zone ?? 'UTC');
      if (!output) return;
      output.textContent = date ? describe(date, zone) : '';
      output.hidden = !date;
    };
    input.addEventListener('input', update);
    update();
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
