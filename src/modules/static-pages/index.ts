// Static pages: About, Join the team, Code of conduct, Privacy, Contact... Pages
// that are not articles, written in the newsroom (the editor-in-chief publishes
// them), served at /<slug>, some of them listed in the footer menu in the order
// the editor-in-chief sets. The module owns the pages table.
export {
  importPage,
  addPublishedPage,
  freeSlug,
  renderPageBody,
  sitemapPages,
  PagesService,
  PAGE_STATUS_LABELS,
  type ImportedPage,
  type MenuEntry,
  type PageRecord,
} from './pages.service.js';
export { RESERVED_SLUGS, isReservedSlug, slugProblem } from './slugs.js';
export { seedDemoPages, DEMO_PAGES } from './demo.js';
export { staticPagesPlugin } from './plugin.js';
export { staticPagesBundle } from './bundle.js';
