// Column types that differ between SQLite and PostgreSQL. Migrations are frozen
// once released, so this file only ever gains entries.
import type { Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

export function columnTypes(db: Kysely<unknown>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    timestamp: pg ? ('timestamptz' as const) : ('text' as const),
    date: pg ? ('date' as const) : ('text' as const),
  };
}
