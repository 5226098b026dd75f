// The article lists a person's page and a newsroom's page show. The articles
// module provides them (app.ts passes them in), so people's pages list articles
// without this module importing articles, which itself builds on people.
import type { Pagination } from '../../web/http.js';
import type { ViewerKind } from '../../web/page-context.js';

/** Some articles, ready to show. */
export interface ListedArticles {
  /** Id, slug and headline of each, in order (for the page's structured data and surrogate keys). */
  items: readonly { id: string; slug: string; title: string }[];
  /** The list itself, or the `empty` line when there is nothing in it. */
  render(options: { viewer: ViewerKind; empty: string; headingLevel: 2 | 3 }): JSX.Element;
}

export interface ArticleLists {
  /** One page (of the site's page size) of a person's or a newsroom's published articles, newest first; past the end, NotFoundError. */
  page(filter: { authorId: string } | { newsroomId: string }, page: number): Promise<{ items: ListedArticles; pagination: Pagination }>;
  /** The latest articles a person edited. */
  latestEdited(editorId: string, limit: number): Promise<ListedArticles>;
}
