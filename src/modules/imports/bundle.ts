// The imports' part of a bundle: the ledger of what each imported item became,
// so that re-running a WordPress or Ghost import after moving the magazine still
// updates instead of duplicating.
import type { BundlePart } from '../../db/bundle-tables.js';

export const importsBundle: BundlePart = {
  module: 'imports',
  tables: [{ table: 'import_items', key: ['source', 'kind', 'source_id'] }],
};
