// The pages table: static pages (About, Join the team, Code of conduct...) and
// their place in the footer menu.
import type { ScopedDb } from '../../db/scoped.js';
import type { PageStatus } from '../../db/schema.js';

export type PagesDb = ScopedDb<'pages'>;

export interface PageRecord {
  id: string;
  slug: string;
  title: string;
  dek: string;
  status: PageStatus;
  body_json: string;
  body_html: string;
  menu_position: number | null;
  published_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

const COLUMNS = [
  'id',
  'slug',
  'title',
  'dek',
  'status',
  'body_json',
  'body_html',
  'menu_position',
  'published_at',
  'version',
  'created_at',
  'updated_at',
] as const;

/** A row as the driver gives it: PostgreSQL returns the timestamps as dates. */
type PageRow = Omit<PageRecord, 'published_at' | 'created_at' | 'updated_at'> & {
  published_at: string | Date | null;
  created_at: string | Date;
  updated_at: string | Date;
};

function toRecord(row: PageRow): PageRecord {
  const iso = (v: string | Date) => (v instanceof Date ? v.toISOString() : v);
  return {
    ...row,
    menu_position: row.menu_position === null ? null : Number(row.menu_position),
    version: Number(row.version),
    published_at: row.published_at === null ? null : iso(row.published_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export async function findById(db: PagesDb, id: string): Promise<PageRecord | undefined> {
  const row = await db.selectFrom('pages').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function findBySlug(db: PagesDb, slug: string): Promise<PageRecord | undefined> {
  const row = await db.selectFrom('pages').select(COLUMNS).where('slug', '=', slug).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function findPublishedBySlug(db: PagesDb, slug: string): Promise<PageRecord | undefined> {
  const row = await db.selectFrom('pages').select(COLUMNS).where('slug', '=', slug).where('status', '=', 'published').executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** Whether another page than `exceptId` has this slug. */
export async function slugTaken(db: PagesDb, slug: string, exceptId: string | null): Promise<boolean> {
  let q = db.selectFrom('pages').select('id').where('slug', '=', slug);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function listAll(db: PagesDb): Promise<PageRecord[]> {
  const rows = await db.selectFrom('pages').select(COLUMNS).orderBy('title').orderBy('id').execute();
  return rows.map(toRecord);
}

export async function listPublished(db: PagesDb): Promise<PageRecord[]> {
  const rows = await db.selectFrom('pages').select(COLUMNS).where('status', '=', 'published').orderBy('slug').execute();
  return rows.map(toRecord);
}

/** The pages in the footer menu (published or not), in menu order. */
export async function listMenu(db: PagesDb): Promise<PageRecord[]> {
  const rows = await db
    .selectFrom('pages')
    .select(COLUMNS)
    .where('menu_position', 'is not', null)
    .orderBy('menu_position')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

export type NewPageRow = Omit<PageRecord, 'version'>;

export async function insertPage(db: PagesDb, row: NewPageRow): Promise<void> {
  await db
    .insertInto('pages')
    .values({ ...row, version: 1 })
    .execute();
}

export type PageChanges = Partial<
  Pick<PageRecord, 'slug' | 'title' | 'dek' | 'status' | 'body_json' | 'body_html' | 'menu_position' | 'published_at'>
> & { updated_at: string };

/**
 * Writes changes and bumps the version. With `expectedVersion`, only when the
 * stored version is still that one: false when someone saved in between.
 */
export async function updatePage(db: PagesDb, id: string, changes: PageChanges, expectedVersion?: number): Promise<boolean> {
  let q = db
    .updateTable('pages')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id);
  if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sets only the menu position (the menu's order is not an edit of the page: the version stays). */
export async function setMenuPosition(db: PagesDb, id: string, position: number | null): Promise<void> {
  await db.updateTable('pages').set({ menu_position: position }).where('id', '=', id).execute();
}

export async function deletePage(db: PagesDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('pages').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
