// The bookmark button a signed-in reader's slot is filled with (the control that
// leaves the slot is shared UI in web/ui/bookmark-control.tsx).
import { escapeHtml } from '../../../lib/rich-text.js';

/** A plain POST form: works without JavaScript; the reader script toggles it in place. */
export function bookmarkForm(articleId: string, slug: string, bookmarked: boolean, csrf: string): string {
  return (
    `<form method="post" action="/bookmarks" class="bookmark-form" data-bookmark>` +
    `<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">` +
    `<input type="hidden" name="articleId" value="${articleId}">` +
    `<input type="hidden" name="next" value="/articles/${slug}">` +
    `<button type="submit" class="bookmark-button" name="action" value="${bookmarked ? 'remove' : 'add'}" aria-pressed="${bookmarked}">` +
    `${bookmarked ? 'Bookmarked' : 'Bookmark'}</button></form>`
  );
}
