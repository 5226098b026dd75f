// A database handle narrowed to some tables. Each repository takes one typed to
// the tables its module owns, so that reading or writing another module's table
// does not compile: a module asks that table's owner instead. Kysely<Database>
// and Transaction<Database> are both assignable to it, so callers pass `db` or
// `trx` as before. (A plain Kysely<Pick<Database, ...>> is not assignable: some
// of Kysely's members are invariant in the schema.)
import type { DeleteQueryBuilder, DeleteResult, Kysely } from 'kysely';
import type { Database } from './schema.js';

export type ScopedDb<T extends keyof Database> = Pick<
  Kysely<Pick<Database, T>>,
  'selectFrom' | 'insertInto' | 'updateTable' | 'selectNoFrom' | 'fn' | 'dynamic'
> & {
  deleteFrom<TR extends T>(from: TR): DeleteQueryBuilder<Database, TR, DeleteResult>;
};
