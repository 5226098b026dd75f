import { containsInsensitive } from '../../db/database.js';
import type { MediaRow } from '../../db/schema.js';
import type { MediaDb } from './media.repository.js';

type Executor = MediaDb;

export interface MediaSearch {
  /** Words to find in the alt text or the caption, case-insensitively; empty finds everything. */
  q: string;
}

/** The library lists its own pictures only: never a prize entrant's photograph. */
function search(db: Executor, { q }: MediaSearch) {
  const query = db.selectFrom('media').where('purpose', '=', 'library');
  if (q === '') return query;
  return query.where((eb) => eb.or([containsInsensitive('alt', q), containsInsensitive('caption', q)]));
}

export async function countMedia(db: Executor, filter: MediaSearch): Promise<number> {
  const row = await search(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The newest pictures first; the id breaks ties so pages never overlap. */
export async function listMedia(db: Executor, filter: MediaSearch, page: { limit: number; offset: number }): Promise<MediaRow[]> {
  return search(db, filter).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
}

/** The newest library pictures, for a picker (a person's photo): never a prize entrant's photograph. */
export async function listRecentPictures(db: Executor, limit: number): Promise<{ id: string; alt: string }[]> {
  return search(db, { q: '' }).where('removed_at', 'is', null).select(['id', 'alt']).orderBy('created_at', 'desc').limit(limit).execute();
}
