// The prize pages' script. Everything works without it; it adds the deadline in
// the visitor's own time zone, a countdown that can be paused, a live word count, showing only
// the fields of the chosen kind of category, and saving the draft as one types.
// The word count and the countdown's words are the server's own.
import { formatInZone } from '../../../lib/dates.js';
import { countWords } from '../../../lib/words.js';
import { countdownOf, countdownText } from '../countdown.js';

const n = (x: number) => x.toLocaleString('en-GB');

function localTimes(): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-local-time]')) {
    const instant = new Date(el.dataset.localTime ?? '');
    if (Number.isNaN(instant.getTime())) continue;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const text = formatInZone(instant, zone, { zoneName: true });
    el.textContent = `In your time zone (${zone}): ${text}.`;
    el.hidden = false;
  }
}

/**
 * Counts down to the deadline: the text changes once a minute, and every
 * second only in the last minute. It is not a live region (nothing is
 * announced as it changes), and a button pauses and resumes it.
 */
function countdowns(): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-countdown]')) {
    const target = Date.parse(el.dataset.countdown ?? '');
    const text = el.querySelector<HTMLElement>('[data-countdown-text]');
    if (Number.isNaN(target) || !text) continue;
    // The server's clock decides; the browser's only counts down from it.
    const skew = Date.parse(el.dataset.serverNow ?? '') - Date.now() || 0;
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'button button--secondary prize-countdown__toggle';
    toggle.textContent = 'Pause the countdown';
    el.after(toggle);
    let paused = false;
    let timer = 0;
    const tick = () => {
      window.clearTimeout(timer);
      const ms = Math.max(0, target - (Date.now() + skew));
      const left = Math.floor(ms / 1000);
      text.textContent = countdownText(countdownOf(left));
      if (left === 0) {
        el.textContent = 'Time is up: reload the page to see what changed.';
        toggle.remove();
        return;
      }
      if (paused) return;
      // When the words next change: the next second in the last minute, else the next whole minute.
      const wait = (left < 60 ? ms % 1000 : ms % 60_000) + 20;
      timer = window.setTimeout(tick, wait);
    };
    toggle.addEventListener('click', () => {
      paused = !paused;
      toggle.textContent = paused ? 'Resume the countdown' : 'Pause the countdown';
      if (paused) window.clearTimeout(timer);
      else tick();
    });
    tick();
  }
}

function entryForm(): void {
  const form = document.querySelector<HTMLFormElement>('form[data-entry-form]');
  if (!form) return;
  const essay = form.querySelector<HTMLTextAreaElement>('textarea[data-word-count]');
  const counter = essay ? document.getElementById(essay.dataset.wordCount ?? '') : null;
  const label = form.querySelector<HTMLElement>('[data-essay-label]');
  const radios = [...form.querySelectorAll<HTMLInputElement>('input[name="categoryId"]')];

  const chosen = () => radios.find((r) => r.checked) ?? null;
  const limit = (): number | null => {
    const r = chosen();
    if (!r) return counter?.dataset.wordLimit ? Number(counter.dataset.wordLimit) : null;
    if (r.dataset.kind !== 'essay') return 300;
    return r.dataset.wordLimit ? Number(r.dataset.wordLimit) : null;
  };
  const updateCount = () => {
    if (!essay || !counter) return;
    const count = countWords(essay.value);
    const max = limit();
    counter.textContent =
      max === null
        ? `${n(count)} ${count === 1 ? 'word' : 'words'}`
        : count > max
          ? `${n(count)} words: ${n(count - max)} over the limit of ${n(max)}`
          : `${n(count)} of ${n(max)} words`;
    counter.classList.toggle('field__error', max !== null && count > max);
    counter.classList.toggle('field__hint', !(max !== null && count > max));
  };
  const updateKind = () => {
    const kind = chosen()?.dataset.kind;
    for (const section of form.querySelectorAll<HTMLElement>('[data-kind-section]'))
      section.hidden = kind !== undefined && section.dataset.kindSection !== kind;
    if (label) label.textContent = kind && kind !== 'essay' ? 'A few words about your work (optional)' : 'Your essay';
    updateCount();
  };
  essay?.addEventListener('input', updateCount);
  for (const r of radios) r.addEventListener('change', updateKind);
  updateKind();

  if (!form.hasAttribute('data-autosave')) return;
  const status = form.querySelector<HTMLElement>('[data-autosave-status]');
  let timer = 0;
  let saving = false;
  const save = () => {
    if (saving) return;
    saving = true;
    const body = new FormData(form);
    body.delete('photo');
    body.set('action', 'save');
    fetch(form.getAttribute('action') ?? '', { method: 'POST', body, headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then((res) => (res.ok ? (res.json() as Promise<{ savedAt: string }>) : Promise.reject(new Error(String(res.status)))))
      .then(
        ({ savedAt }) => {
          if (status)
            status.textContent = `Draft saved at ${new Date(savedAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}.`;
        },
        () => {
          if (status) status.textContent = 'Your draft could not be saved just now: use “Save draft” before you leave.';
        },
      )
      .finally(() => {
        saving = false;
      });
  };
  form.addEventListener('input', (event) => {
    if ((event.target as HTMLElement).getAttribute('type') === 'file') return;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 3000);
  });
  form.addEventListener('submit', () => window.clearTimeout(timer));
}

function start(): void {
  localTimes();
  countdowns();
  entryForm();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
