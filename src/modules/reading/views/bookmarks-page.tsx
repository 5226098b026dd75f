import { formatLongDate } from '../../../lib/dates.js';
import { PaginationNav } from '../../../web/components.js';
import { CsrfField, Notice } from '../../../web/forms.js';
import type { Pagination } from '../../../web/http.js';
import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/page-context.js';
import type { Teaser } from '../../articles/index.js';

export function BookmarksPage(props: {
  ctx: PageContext;
  items: { teaser: Teaser; savedAt: string }[];
  pagination: Pagination;
  csrf: string;
  notice?: string | undefined;
}): JSX.Element {
  return (
    <Layout ctx={props.ctx} meta={{ title: 'Your bookmarks', description: 'Articles you bookmarked', noIndex: true }}>
      <div class="wrap narrow">
        <header class="page-header">
          <h1>Your bookmarks</h1>
        </header>
        {props.notice ? <Notice kind="success" text={props.notice} /> : ''}
        {props.items.length === 0 ? (
          <p class="empty">
            You have not bookmarked anything yet. Use the Bookmark button on any article to keep it here.{' '}
            <a href="/">Find something to read</a>.
          </p>
        ) : (
          <ol class="plain-list bookmark-list">
            {props.items.map(({ teaser, savedAt }) => (
              <li class="bookmark-item">
                <div>
                  <h2 class="teaser__title">
                    <a href={`/articles/${teaser.slug}`} safe>
                      {teaser.title}
                    </a>
                  </h2>
                  <p class="teaser__dek" safe>
                    {teaser.dek}
                  </p>
                  <p class="muted">
                    Saved{' '}
                    <time datetime={savedAt} safe>
                      {formatLongDate(savedAt)}
                    </time>
                  </p>
                </div>
                <form method="post" action="/bookmarks">
                  <CsrfField token={props.csrf} />
                  <input type="hidden" name="articleId" value={teaser.id} />
                  <input type="hidden" name="action" value="remove" />
                  <input
                    type="hidden"
                    name="next"
                    value={`/account/bookmarks${props.pagination.page > 1 ? `?page=${props.pagination.page}` : ''}`}
                  />
                  <button type="submit" class="button button--secondary">
                    Remove<span class="visually-hidden" safe>{` “${teaser.title}” from your bookmarks`}</span>
                  </button>
                </form>
              </li>
            ))}
          </ol>
        )}
        <PaginationNav pagination={props.pagination} basePath="/account/bookmarks" label="Bookmarks, pages" />
      </div>
    </Layout>
  );
}
