// The issue composer's one enhancement: times are entered and shown in the
// newsletter's zone (Europe/London for the Weekly Brief); this script adds the
// same instant in the editor's own zone, and keeps it in step with the schedule
// field. Without it the page shows the newsletter's zone and UTC.
//
// Contract with the page: [data-your-time][data-utc] elements get the instant
// in the browser's zone; an input[data-zoned-input][data-zone] updates the
// element named by its data-local-output.

function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(instant / 1000) * 1000;
}

function zonedToUtc(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let guess = wall - offsetMs(wall, timeZone);
  guess = wall - offsetMs(guess, timeZone);
  return new Date(guess);
}

function describe(date: Date, zone: string): string {
  const when = date.toLocaleString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
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
      const date = zonedToUtc(input.value, input.dataset.zone ?? 'UTC');
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
