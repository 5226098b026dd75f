// The static pages' part of a bundle (`harbinger export`): every page, drafts included.
import type { BundlePart } from '../../db/bundle-tables.js';

export const staticPagesBundle: BundlePart = {
  module: 'static-pages',
  tables: [{ table: 'pages', key: ['id'] }],
};
