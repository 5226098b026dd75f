// The people's and newsrooms' pages the sitemaps list. `listed` is the one place
// that decides which profiles search engines are told about: every profile but
// those their owner (or an editor) made unlisted (byline privacy).
import type { PeopleDb } from './contributors.js';

export interface ListedPage {
  slug: string;
  /** When the page's own record last changed, if the table keeps it. */
  lastmod: string | null;
}

/** Every listed person's profile page, by slug. */
export async function listedPeople(db: PeopleDb): Promise<ListedPage[]> {
  const rows = await db.selectFrom('people').select(['slug', 'updated_at']).where('listed', '=', 1).orderBy('slug', 'asc').execute();
  return rows.map((r) => ({ slug: r.slug, lastmod: new Date(r.updated_at).toISOString() }));
}

/** Every newsroom's page, by slug. */
export async function listedNewsrooms(db: PeopleDb): Promise<ListedPage[]> {
  const rows = await db.selectFrom('newsrooms').select('slug').orderBy('slug', 'asc').execute();
  return rows.map((r) => ({ slug: r.slug, lastmod: null }));
}
