// Ages entered later. An author without a birth date on file (an imported one,
// say) gets no age on their bylines; when a birth date is entered, each of their
// published articles whose byline age was never frozen gets the age they had on
// that article's own publication day. Ages already frozen stay as they are (a
// correction is the editor-in-chief's, on republication). Runs in the people
// desk's transaction, as a subscriber to the person's change.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { dateInZone, todayUtc } from '../../lib/dates.js';
import { drafts } from '../articles/index.js';
import { agesOn } from '../people/index.js';

/** Freezes the missing byline ages of this person's published articles; returns how many were set. */
export async function freezeLateAges(trx: Kysely<Database>, personId: string): Promise<number> {
  const articles = await drafts.publishedWithoutAgeOf(trx, personId);
  if (articles.length === 0) return 0;
  const ageOn = async (day: string) => (await agesOn(trx, [{ personId, frozenAge: null }], day)).get(personId) ?? null;
  // No birth date on file (every save of an imported author's profile until one is entered): nothing to freeze.
  if ((await ageOn(todayUtc())) === null) return 0;
  const ageOnDay = new Map<string, number | null>();
  let set = 0;
  for (const { articleId, publishedAt } of articles) {
    const day = dateInZone(publishedAt);
    if (!ageOnDay.has(day)) ageOnDay.set(day, await ageOn(day));
    const age = ageOnDay.get(day)!;
    if (age === null) continue;
    await drafts.setAgeAtPublication(trx, articleId, personId, age);
    set++;
  }
  return set;
}
