// The reports' part of a bundle: readers' reports of a problem and the newsroom's
// notes on them, which a moved magazine still has to answer.
import type { BundlePart } from '../../db/bundle-tables.js';

export const reportsBundle: BundlePart = {
  module: 'reports',
  tables: [
    { table: 'problem_reports', key: ['id'] },
    { table: 'problem_report_notes', key: ['id'] },
  ],
};
