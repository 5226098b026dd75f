// The bookmark control every article list and article page shows. On cached
// pages a signed-in reader's control is a slot, filled for each request with the
// button in its current state (the reading module fills it).
import type { ViewerKind } from '../page-context.js';
import { bookmarkSlot } from '../slots.js';

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
