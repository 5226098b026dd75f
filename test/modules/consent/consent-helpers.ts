// What the consent tests share: a young writer of their own (with a country and
// an age chosen relative to today), an approved article by them, and moving it.
import assert from 'node:assert/strict';
import { addDays, todayUtc } from '../../../src/lib/dates.js';
import { newId } from '../../../src/lib/ids.js';
import type { Browserish } from '../../browserish.js';
import type { TestApp } from '../../helpers.js';

/** The day `years` years before `day` (YYYY-MM-DD). */
export function yearsBefore(day: string, years: number): string {
  return `${Number(day.slice(0, 4)) - years}${day.slice(4)}`;
}

/** A birth date that makes someone `age` today, with their next birthday `daysToBirthday` days away. */
export function bornFor(age: number, daysToBirthday: number): string {
  return yearsBefore(addDays(todayUtc(), daysToBirthday), age + 1);
}

/** A contributor with a private birth date and a first place "City, Country". */
export async function addWriter(t: TestApp, name: string, birthDate: string, place: string): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await t.db
    .insertInto('people')
    .values({
      id,
      slug: name.toLowerCase().replace(/\W+/g, '-'),
      name,
      photo_media_id: null,
      birth_date: birthDate,
      birthplace: null,
      show_birthplace: 0,
      locations: JSON.stringify([place]),
      languages: '[]',
      bio_json: '{"type":"doc","content":[]}',
      bio_html: '',
      user_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await t.db
    .insertInto('role_assignments')
    .values({
      id: newId(),
      person_id: id,
      role: 'contributor',
      section_id: null,
      newsroom_id: null,
      starts_on: '2024-01-01',
      ends_on: null,
      created_at: now,
    })
    .execute();
  return id;
}

/** An article by this writer, approved and waiting for the editor-in-chief (made through the desk, its byline set here). */
export async function approvedArticle(t: TestApp, chief: Browserish, writerId: string, title: string): Promise<string> {
  const sectionId = (await t.db.selectFrom('sections').select('id').where('slug', '=', 'society').executeTakeFirstOrThrow()).id;
  await chief.get('/newsroom/articles/new');
  const res = await chief.post('/newsroom/articles', { title, sectionId });
  assert.equal(res.statusCode, 303);
  const id = /\/newsroom\/articles\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
  await t.db.deleteFrom('article_authors').where('article_id', '=', id).execute();
  await t.db.insertInto('article_authors').values({ article_id: id, person_id: writerId, position: 0, age_at_publication: null }).execute();
  await t.db.updateTable('articles').set({ status: 'approved' }).where('id', '=', id).execute();
  return id;
}

/** The editor-in-chief moves the article on, as the editor's buttons do. */
export async function moveTo(chief: Browserish, articleId: string, to: string, extra: Record<string, string> = {}) {
  await chief.get(`/newsroom/articles/${articleId}`);
  return chief.post(`/newsroom/articles/${articleId}/move`, { to, ...extra });
}

export async function statusOf(t: TestApp, articleId: string): Promise<string> {
  return (await t.db.selectFrom('articles').select('status').where('id', '=', articleId).executeTakeFirstOrThrow()).status;
}

export async function drainJobs(t: TestApp): Promise<void> {
  while ((await t.app.worker.runOnce()) > 0);
}
