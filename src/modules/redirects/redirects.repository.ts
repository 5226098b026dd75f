// The redirects table: old addresses and where they lead now. Only this module
// reads or writes it; importers and the newsroom desk go through the service.
import { containsInsensitive } from '../../db/database.js';
import type { ScopedDb } from '../../db/scoped.js';
import type { RedirectTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';

export type RedirectsDb = ScopedDb<'redirects'>;
export type RedirectRow = Selectable<RedirectTable>;

export async function redirectFrom(db: RedirectsDb, fromPath: string): Promise<RedirectRow | undefined> {
  return db.selectFrom('redirects').selectAll().where('from_path', '=', fromPath).executeTakeFirst();
}

export async function redirectById(db: RedirectsDb, id: string): Promise<RedirectRow | undefined> {
  return db.selectFrom('redirects').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Where a visitor asking for this (normalised) path goes: the one query a redirect costs. */
export async function targetOf(db: RedirectsDb, fromPath: string): Promise<{ to_path: string; status_code: number } | undefined> {
  return db.selectFrom('redirects').select(['to_path', 'status_code']).where('from_path', '=', fromPath).executeTakeFirst();
}

export async function insertRedirect(db: RedirectsDb, row: RedirectRow): Promise<void> {
  await db.insertInto('redirects').values(row).execute();
}

export async function updateRedirect(
  db: RedirectsDb,
  id: string,
  changes: Partial<Pick<RedirectRow, 'from_path' | 'to_path' | 'status_code' | 'source' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('redirects').set(changes).where('id', '=', id).execute();
}

export async function deleteRedirect(db: RedirectsDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('redirects').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface RedirectSearch {
  /** Text to find in the old or the new address, case-insensitively; empty finds everything. */
  q: string;
}

/** The text as stored addresses hold it: `при` is kept as `%D0%BF%D1%80%D0%B8`. */
function escaped(q: string): string {
  try {
    return encodeURI(q);
  } catch {
    return q; // a lone surrogate: no stored address holds it
  }
}

function search(db: RedirectsDb, { q }: RedirectSearch) {
  const query = db.selectFrom('redirects');
  if (q === '') return query;
  // Letters outside ASCII are escaped in storage, where lower() does not reach them: both cases are asked for.
  const terms = [...new Set([q, escaped(q.toLowerCase()), escaped(q.toUpperCase())])];
  return query.where((eb) =>
    eb.or(
      terms
        .flatMap((term) => [containsInsensitive('from_path', term), containsInsensitive('to_path', term)])
        .concat(containsInsensitive('source', q)),
    ),
  );
}

export async function countRedirects(db: RedirectsDb, filter: RedirectSearch): Promise<number> {
  const row = await search(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** In order of the old address; the id breaks ties so pages never overlap. */
export async function listRedirects(
  db: RedirectsDb,
  filter: RedirectSearch,
  page: { limit: number; offset: number },
): Promise<RedirectRow[]> {
  return search(db, filter).selectAll().orderBy('from_path').orderBy('id').limit(page.limit).offset(page.offset).execute();
}

/** The redirects leading to this path (or to it with a query or fragment after it). */
export async function redirectsTo(db: RedirectsDb, toPath: string): Promise<RedirectRow[]> {
  return db
    .selectFrom('redirects')
    .selectAll()
    .where((eb) => eb.or([eb('to_path', '=', toPath), eb('to_path', 'like', `${toPath}?%`), eb('to_path', 'like', `${toPath}#%`)]))
    .execute();
}
