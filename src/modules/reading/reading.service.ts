// Bookmarks. (The registration wall's rules live in access.ts.)
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/database.js';
import { paginate, type Pagination } from '../../web/http.js';
import { NotFoundError } from '../../web/errors.js';
import type { ArticlesService, Teaser } from '../articles/index.js';
import * as repo from './bookmarks.repository.js';

export class ReadingService {
  constructor(
    private readonly db: Db,
    private readonly articles: ArticlesService,
  ) {}

  async bookmark(userId: string, articleId: string): Promise<void> {
    if (!(await this.articles.publishedIdsAmong([articleId])).has(articleId))
      throw new NotFoundError('There is no published article to bookmark.');
    await repo.addBookmark(this.db, userId, articleId, nowIso());
  }

  async unbookmark(userId: string, articleId: string): Promise<void> {
    await repo.removeBookmark(this.db, userId, articleId);
  }

  async bookmarkedAmong(userId: string, articleIds: string[]): Promise<Set<string>> {
    return repo.bookmarkedAmong(this.db, userId, articleIds);
  }

  async page(
    userId: string,
    page: number,
    pageSize: number,
  ): Promise<{ items: { teaser: Teaser; savedAt: string }[]; pagination: Pagination }> {
    // Only the page's bookmarks are read (a reader may keep thousands). The count is of
    // every bookmark: one whose article was since withdrawn keeps its place and is
    // left out of its page, rather than every bookmark being checked on every page.
    const pagination = paginate(page, pageSize, await repo.countBookmarksOf(this.db, userId));
    const rows = await repo.pageOfBookmarksOf(this.db, userId, pageSize, pagination.offset);
    const teasers = await this.articles.teasersByIds(rows.map((r) => r.article_id));
    return {
      items: rows.flatMap((r) => (teasers.get(r.article_id) ? [{ teaser: teasers.get(r.article_id)!, savedAt: r.created_at }] : [])),
      pagination,
    };
  }

  async exportFor(userId: string) {
    const rows = await repo.listBookmarksOf(this.db, userId);
    const titles = await this.articles.titlesByIds(rows.map((r) => r.article_id));
    return {
      bookmarks: rows.flatMap((r) => {
        const article = titles.get(r.article_id);
        return article ? [{ article: article.slug, title: article.title, savedAt: r.created_at }] : [];
      }),
    };
  }
}
