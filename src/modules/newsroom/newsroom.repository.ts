import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Every article a person wrote or edited, drafts included, newest change first. */
export async function articlesOfPerson(db: Executor, personId: string) {
  return db
    .selectFrom('articles')
    .select(['id', 'slug', 'title', 'status', 'updated_at', 'published_at'])
    .where((eb) =>
      eb.or([
        eb('id', 'in', eb.selectFrom('article_authors').select('article_id').where('person_id', '=', personId)),
        eb('id', 'in', eb.selectFrom('article_editors').select('article_id').where('person_id', '=', personId)),
      ]),
    )
    .orderBy('updated_at', 'desc')
    .limit(200)
    .execute();
}
