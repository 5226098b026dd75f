// Pictures that are not the library's: a prize entrant's photograph is kept out
// of the staff media library (purpose), is served only to those allowed to see it
// until results are out (visibility), and a draft's replaced photograph is
// removed (its files deleted, the row kept so uploads can be counted per account).
import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .alterTable('media')
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('library'))
    .execute();
  await db.schema
    .alterTable('media')
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public'))
    .execute();
  await db.schema.alterTable('media').addColumn('removed_at', t.timestamp).execute();
  await db.schema.createIndex('media_purpose_created').on('media').columns(['purpose', 'created_at']).execute();
  await db.schema.createIndex('media_uploaded_by_created').on('media').columns(['uploaded_by', 'created_at']).execute();
}
