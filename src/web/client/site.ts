// The reader site's only script. Pages work without it; it adds copying a link
// to the clipboard. Kept tiny on purpose: no framework, no dependencies.

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

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setUpCopyLinks);
else setUpCopyLinks();
