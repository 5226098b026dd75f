// Site search: the index of published articles (their public part and, apart,
// the text behind the wall) and people, the /search page, and the rebuild the
// `harbinger reindex` command and the demo seed run. The module owns the
// search_documents table (and SQLite's search_fts beside it).
export { SearchService } from './search.service.js';
export { searchPlugin } from './plugin.js';
