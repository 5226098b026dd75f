// The import ledger (import_items): what each imported item became, and the
// checksum of the item as last imported. Running an import again reads it to
// update instead of duplicating, and to skip what did not change.
import type { ScopedDb } from '../../db/scoped.js';

export type LedgerDb = ScopedDb<'import_items'>;

export interface LedgerEntry {
  kind: string;
  sourceId: string;
  targetId: string;
  checksum: string;
}

export async function findEntry(db: LedgerDb, source: string, kind: string, sourceId: string): Promise<LedgerEntry | undefined> {
  const row = await db
    .selectFrom('import_items')
    .select(['kind', 'source_id', 'target_id', 'checksum'])
    .where('source', '=', source)
    .where('kind', '=', kind)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return row && { kind: row.kind, sourceId: row.source_id, targetId: row.target_id, checksum: row.checksum };
}

/** The entries of these items of one kind, by source id. */
export async function findEntries(db: LedgerDb, source: string, kind: string, sourceIds: string[]): Promise<Map<string, LedgerEntry>> {
  const found = new Map<string, LedgerEntry>();
  for (let i = 0; i < sourceIds.length; i += 500) {
    const rows = await db
      .selectFrom('import_items')
      .select(['kind', 'source_id', 'target_id', 'checksum'])
      .where('source', '=', source)
      .where('kind', '=', kind)
      .where('source_id', 'in', sourceIds.slice(i, i + 500))
      .execute();
    for (const row of rows)
      found.set(row.source_id, { kind: row.kind, sourceId: row.source_id, targetId: row.target_id, checksum: row.checksum });
  }
  return found;
}

/** Records what an item became (inserted, or the earlier entry replaced). */
export async function recordEntry(db: LedgerDb, source: string, entry: LedgerEntry, now: string): Promise<void> {
  await db
    .insertInto('import_items')
    .values({
      source,
      kind: entry.kind,
      source_id: entry.sourceId,
      target_id: entry.targetId,
      checksum: entry.checksum,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['source', 'kind', 'source_id']).doUpdateSet({ target_id: entry.targetId, checksum: entry.checksum, updated_at: now }),
    )
    .execute();
}

export async function countEntries(db: LedgerDb, source: string): Promise<number> {
  const row = await db
    .selectFrom('import_items')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('source', '=', source)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
