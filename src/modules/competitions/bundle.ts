// The prize's part of a bundle: competitions, categories, rubrics, entries (with
// the entrants' private details), juries, scores, conflicts and awards.
import type { BundlePart } from '../../db/bundle-tables.js';

export const competitionsBundle: BundlePart = {
  module: 'competitions',
  tables: [
    { table: 'competitions', key: ['id'] },
    { table: 'competition_categories', key: ['id'] },
    { table: 'rubric_criteria', key: ['id'] },
    { table: 'entries', key: ['id'] },
    { table: 'jurors', key: ['id'] },
    { table: 'scores', key: ['id'] },
    { table: 'juror_conflicts', key: ['juror_id', 'entry_id'] },
    { table: 'awards', key: ['id'] },
  ],
};
