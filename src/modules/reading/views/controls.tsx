// The bookmark control. On cached pages a signed-in reader's control is a slot,
// filled for each request with the button in its current state.
import { escapeHtml } from '../../../lib/rich-text.js';
import type { ViewerKind } from '../../../web/page-context.js';
import { bookmarkSlot } from '../../../web/slots.js';

/** A sign-up link for visitors (the bookmark is saved once they have an account), a slot for readers. */
export function BookmarkControl(props: { viewer: ViewerKind; articleId: string; slug: string }): JSX.Element {
  if (props.viewer === 'anonymous') {
    const params = new URLSearchParams({ next: `/articles/${props.slug}`, bookmark: props.articleId });
    return (
      <a class="bookmark-link" href={`/account/sign-up?${params.toString()}`}>
        Bookmark<span class="visually-hidden"> this article (needs a free account)</span>
      </a>
    );
  }
  return bookmarkSlot(props.articleId, props.slug);
}

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
