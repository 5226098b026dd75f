// The redirects' part of a bundle: old addresses, imported or set by hand.
import type { BundlePart } from '../../db/bundle-tables.js';

export const redirectsBundle: BundlePart = {
  module: 'redirects',
  tables: [{ table: 'redirects', key: ['id'] }],
};
