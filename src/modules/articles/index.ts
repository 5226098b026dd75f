// Published articles as readers see them: the article page, section and tag
// lists, the home page, and the article store other modules read and write
// through (drafts: the newsroom's and the prize's). The module owns the sections,
// tags, articles, article_authors, article_editors, article_tags and
// article_revisions tables.
export { ArticlesService, renderBody, type ArticlePage, type Teaser, type SectionRef } from './articles.service.js';
export { articlesRoutes } from './articles.routes.js';
export { ArticlePageView, newsArticleJsonLd } from './views/article-page.js';
export { bylineText } from './byline.js';
export * as drafts from './drafts.js';
export * as cacheKeys from './cache-keys.js';
export { searchableArticle, publishedArticleIds, publishedArticleIdsBy, type SearchableArticle } from './search-source.js';
export * as sitemapEntries from './sitemap-entries.js';
export { articleListsFor } from './article-lists.js';
export { TeaserList } from './views/teaser.js';
export { BodyFigure } from './views/figure.js';
export { articlesPlugin, articlePagesPlugin } from './plugin.js';
export { articlesBundle, scheduledArticles } from './bundle.js';
