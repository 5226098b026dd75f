// The reader site's only script. Pages work without it; it adds copying a link
// to the clipboard, bookmarking without a page load, and focus on the summary
// of a refused form's errors. Kept tiny on purpose:
// no framework, no dependencies.

function announce(region: Element | null, message: string): void {
  if (!region) return;
  // Clearing first makes screen readers announce a repeated message again.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

function setUpCopyLinks(): void {
  for (const box of document.querySelectorAll<HTMLElement>('[data-copy-link]')) {
    const button = box.querySelector<HTMLButtonElement>('button');
    const field = box.querySelector<HTMLInputElement>('input');
    const status = box.querySelector('[role="status"]');
    if (!button || !field) continue;
    button.hidden = false;
    box.classList.add('is-enhanced');
    button.addEventListener('click', () => {
      const url = box.dataset.copyLink ?? field.value;
      const copied = navigator.clipboard?.writeText
        ? navigator.clipboard.writeText(url)
        : Promise.reject(new Error('Clipboard unavailable'));
      copied.then(
        () => announce(status, 'Article link copied.'),
        () => {
          box.classList.remove('is-enhanced');
          field.focus();
          field.select();
          announce(status, 'Copying is not available here: the link is selected, copy it by hand.');
        },
      );
    });
  }
}

function setUpBookmarks(): void {
  const announcer = document.getElementById('announcer');
  document.addEventListener('submit', (event) => {
    const form = event.target as HTMLFormElement;
    if (!form.matches('form[data-bookmark]')) return;
    const button = form.querySelector<HTMLButtonElement>('button[name="action"]');
    if (!button) return;
    event.preventDefault();
    // Not `disabled`: a disabled button loses keyboard focus. A repeat press
    // while the request runs is ignored instead.
    if (button.getAttribute('aria-disabled') === 'true') return;
    const body = new URLSearchParams();
    new FormData(form).forEach((value, key) => typeof value === 'string' && body.append(key, value));
    body.set('action', button.value);
    button.setAttribute('aria-disabled', 'true');
    announce(announcer, button.value === 'add' ? 'Saving the bookmark…' : 'Removing the bookmark…');
    // getAttribute: `form.action` is shadowed by the button named "action".
    fetch(form.getAttribute('action') ?? '/bookmarks', {
      method: 'POST',
      body,
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then((res) => (res.ok ? (res.json() as Promise<{ bookmarked: boolean }>) : Promise.reject(new Error(String(res.status)))))
      .then(
        ({ bookmarked }) => {
          button.removeAttribute('aria-disabled');
          button.setAttribute('aria-pressed', String(bookmarked));
          button.value = bookmarked ? 'remove' : 'add';
          button.textContent = bookmarked ? 'Bookmarked' : 'Bookmark';
          announce(announcer, bookmarked ? 'Bookmark saved.' : 'Bookmark removed.');
        },
        () => {
          button.removeAttribute('aria-disabled');
          // Fall back to the plain form post, which needs the action the button carried.
          const action = document.createElement('input');
          action.type = 'hidden';
          action.name = 'action';
          action.value = button.value;
          form.append(action);
          form.submit();
        },
      );
  });
}

/**
 * After a refused form, moves focus to the summary of its errors so keyboard
 * and screen reader users start there (the summary's links lead to the fields).
 * Without the script, the summary is the first thing in the main content and
 * the page title starts with "Error:".
 */
function focusErrorSummary(): void {
  const summary = document.querySelector<HTMLElement>('[data-error-summary]');
  if (!summary) return;
  if (!summary.hasAttribute('tabindex')) summary.setAttribute('tabindex', '-1');
  summary.focus();
}

function start(): void {
  focusErrorSummary();
  setUpCopyLinks();
  setUpBookmarks();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
