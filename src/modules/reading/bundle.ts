// The reading module's part of a bundle: readers' bookmarks.
import type { BundlePart } from '../../db/bundle-tables.js';

export const readingBundle: BundlePart = {
  module: 'reading',
  tables: [{ table: 'bookmarks', key: ['user_id', 'article_id'] }],
};
