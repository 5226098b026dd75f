// Shared set-up for the prize's HTTP tests: a prize entered in Europe/London
// during British Summer Time, signed-in readers, complete entry forms, and the
// job queue drained on demand.
import assert from 'node:assert/strict';
import { Browserish } from '../../browserish.js';
import type { TestApp } from '../../helpers.js';

/** Noon in London on 1 August 2026 is 11:00 UTC (BST). */
export const DEADLINE_UTC = '2026-08-01T11:00:00.000Z';
export const OPEN_TIME = new Date('2026-07-15T10:00:00.000Z');

export function setClock(t: TestApp, iso: string | Date): void {
  const at = new Date(iso);
  t.app.prizes.setClock(() => at);
}

export async function drainJobs(t: TestApp): Promise<void> {
  while ((await t.app.worker.runOnce()) > 0);
}

/** A reader's account, verified, signed in through a one-time link. */
export async function readerClient(t: TestApp, email: string, name: string): Promise<{ client: Browserish; userId: string }> {
  const userId = (await t.app.accounts.findUserIdByEmail(email)) ?? (await t.app.accounts.createVerifiedUser(email, name));
  const client = new Browserish(t.app);
  const link = await t.app.accounts.signInLinkFor(userId);
  await client.get(link.replace(/^https?:\/\/[^/]+/, ''));
  const res = await client.post('/account/link', { token: new URL(link).searchParams.get('token')! });
  assert.equal(res.statusCode, 303, `signing in ${email}`);
  return { client, userId };
}

export interface PrizeSetup {
  id: string;
  slug: string;
  categories: Record<string, string>;
}

/**
 * Creates a prize through the organisers' form (times typed in Europe/London
 * during summer time), with the categories given and a two-part rubric.
 */
export async function createPrize(
  t: TestApp,
  organiser: Browserish,
  options: {
    name: string;
    slug: string;
    categories: { name: string; kind: 'essay' | 'photo' | 'video'; wordLimit?: number; section?: string }[];
    shortlistSize?: number;
  },
): Promise<PrizeSetup> {
  await organiser.get('/newsroom/prizes');
  const res = await organiser.post('/newsroom/prizes', {
    name: options.name,
    year: '2026',
    slug: options.slug,
    timeZone: 'Europe/London',
    opensAt: '2026-06-01T09:00',
    deadlineAt: '2026-08-01T12:00',
    announceAt: '2026-09-15T18:00',
    minAge: '13',
    maxAge: '19',
    schoolYearQuestion: 'Which school year have you just completed?',
    requireFullTime: '1',
    entriesPerPerson: '1',
    shortlistSize: String(options.shortlistSize ?? 5),
    language: 'English',
    description: 'A prize for the tests.\n\n## How it works\n\n- Write\n- Submit',
    terms: 'Entries are final.',
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  const id = /\/newsroom\/prizes\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
  const categories: Record<string, string> = {};
  for (const c of options.categories) {
    const sectionId = c.section
      ? (await t.db.selectFrom('sections').select('id').where('slug', '=', c.section).executeTakeFirstOrThrow()).id
      : '';
    await organiser.get(`/newsroom/prizes/${id}`);
    const added = await organiser.post(`/newsroom/prizes/${id}/categories`, {
      name: c.name,
      kind: c.kind,
      wordLimit: c.wordLimit ? String(c.wordLimit) : '',
      prompt: `A prompt for ${c.name}.`,
      description: '',
      sectionId,
      position: '',
    });
    assert.equal(added.statusCode, 303, added.body.slice(0, 500));
    categories[c.name] = (
      await t.db
        .selectFrom('competition_categories')
        .select('id')
        .where('competition_id', '=', id)
        .where('name', '=', c.name)
        .executeTakeFirstOrThrow()
    ).id;
  }
  for (const name of ['Argument', 'Craft']) {
    await organiser.get(`/newsroom/prizes/${id}`);
    assert.equal(
      (await organiser.post(`/newsroom/prizes/${id}/criteria`, { name, description: '', scaleMin: '', scaleMax: '' })).statusCode,
      303,
    );
  }
  return { id, slug: options.slug, categories };
}

/** A complete, valid entry form. */
export function entryForm(categoryId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    categoryId,
    title: 'The rule that should change',
    essay: 'Our school bans phones at lunch.\n\nHere is why that should change, and who could change it.',
    entrantName: 'Test Entrant',
    birthDate: '2009-03-14',
    school: 'Test School',
    country: 'Ireland',
    schoolYear: 'Year 11',
    declareFullTime: '1',
    declareOwnWork: '1',
    declareEnglish: '1',
    declareRules: '1',
    ...overrides,
  };
}

/** Opens the entry form (for a fresh CSRF token) and posts it. */
export async function postEntry(client: Browserish, slug: string, fields: Record<string, string>, action: 'save' | 'submit' = 'submit') {
  await client.get(`/prizes/${slug}/enter`);
  return client.post(`/prizes/${slug}/enter`, { ...fields, action });
}
