// Sitemaps and robots.txt: what search engines and news indexes are told to read
// (published articles by year, sections, tags, people, newsrooms, the last two
// days' news) and where they are asked not to go. The module has no tables; it
// reads through the articles, people and media modules.
export { SitemapsService, MAX_URLS_PER_FILE, articlesFileName } from './sitemaps.service.js';
export { robotsTxt } from './sitemaps.routes.js';
export { sitemapsPlugin } from './plugin.js';
