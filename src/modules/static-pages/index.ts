// Static pages: About, Join the team, Code of conduct, Privacy, Contact... Pages
// that are not articles, edited in the newsroom and served at /<slug>, some of
// them listed in the footer menu in the order the editor-in-chief sets. The
// module owns the pages table.
export { importPage, freeSlug, renderPageBody, type ImportedPage, type PageRecord } from './pages.service.js';
export { RESERVED_SLUGS, isReservedSlug, slugProblem } from './slugs.js';
export { staticPagesBundle } from './bundle.js';
