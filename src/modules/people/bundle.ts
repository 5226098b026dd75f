// The people module's part of a bundle: newsrooms, people (birth dates
// included: the bundle is private to the magazine), their roles over time and
// newsroom memberships.
import type { BundlePart } from '../../db/bundle-tables.js';

export const peopleBundle: BundlePart = {
  module: 'people',
  tables: [
    { table: 'newsrooms', key: ['id'] },
    { table: 'people', key: ['id'] },
    { table: 'role_assignments', key: ['id'] },
    { table: 'newsroom_members', key: ['id'] },
  ],
};
