// The article lists other modules' pages show (a person's page, a newsroom's
// page), rendered with the articles module's own teaser list.
import type { ArticleLists, ListedArticles } from '../people/index.js';
import type { ArticlesService, Teaser } from './articles.service.js';
import { TeaserList } from './views/teaser.js';

function listed(teasers: Teaser[]): ListedArticles {
  return { items: teasers, render: (options) => TeaserList({ ...options, teasers }) };
}

/** The lists the people module's pages ask for, answered by this module's service. */
export function articleListsFor(articles: ArticlesService): ArticleLists {
  return {
    async page(filter, page) {
      const { items, pagination } = await articles.page(filter, page);
      return { items: listed(items), pagination };
    },
    async latestEdited(editorId, limit) {
      return listed(await articles.latest({ editorId }, limit));
    },
  };
}
