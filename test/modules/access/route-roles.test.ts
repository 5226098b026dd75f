// Every staff route × every role: a person holding just that role (plus a plain
// reader and a visitor) asks each route the app has under the staff paths, and
// the answer — let in, refused (403) or sent to sign in — must match the table
// below. A new staff route without a row fails here, as does a guard that lets
// the wrong people in. Unknown ids are used, so a route that lets someone in
// answers 404 or a form error rather than acting. Every other page is asked by a
// visitor too: only a reader's own pages may send them to sign in, so a guarded
// route under a new path cannot slip past the table.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { RoleName } from '../../../src/db/schema.js';
import { newId } from '../../../src/lib/ids.js';
import { ROLE_NAMES } from '../../../src/modules/people/index.js';
import { Browserish } from '../../browserish.js';
import { buildTestApp, type TestApp } from '../../helpers.js';
import { signInByLink } from '../../two-factor.js';

type Who = RoleName | 'reader' | 'anonymous';
type Answer = 'in' | 'refused' | 'sign-in' | 'failed';

const STAFF_PATHS = /^\/(newsroom|judging|api\/judging)(\/|$|\.)/;

const CHIEFS: RoleName[] = ['editor_in_chief', 'managing_editor', 'mentor'];
/** Who each route lets in (the rest are refused, visitors sent to sign in). */
const ACCESS = {
  staff: [...ROLE_NAMES],
  /** Editor's picks are the chiefs' call; the reports of a problem are theirs to answer. */
  chiefs: CHIEFS,
  /** The people desk, the prize desk, the audit log, new newsletters. */
  chiefsAndAdmins: [...CHIEFS, 'admin'],
  newsletter: ['newsletter_editor', ...CHIEFS, 'admin'],
  writingRules: ['editor_in_chief', 'admin'],
  /** Static pages: the chiefs and administrators write them; the editor-in-chief (and administrators) publish, delete and order the menu. */
  pageWriters: [...CHIEFS, 'admin'],
  pagePublishers: ['editor_in_chief', 'admin'],
  /** A writer's guardian consent: the people desk's chiefs and administrators, section editors (and the writer, not asked here). */
  consentRecorders: [...CHIEFS, 'admin', 'section_editor'],
  /** The ages of digital consent are a legal setting. */
  admins: ['admin'],
  /** Where old addresses lead. */
  redirects: ['editor_in_chief', 'managing_editor', 'admin'],
  /** Judging is for jurors: any signed-in account gets in; a category's page needs a seat on its jury (none here). */
  signedIn: [...ROLE_NAMES, 'reader'],
  seatHolders: [],
  everyone: [...ROLE_NAMES, 'reader', 'anonymous'],
} satisfies Record<string, Who[]>;
type Rule = keyof typeof ACCESS;

const TABLE: Record<string, Rule> = {
  'GET /newsroom': 'staff',
  'GET /newsroom/articles': 'staff',
  'POST /newsroom/articles': 'staff',
  'GET /newsroom/articles/new': 'staff',
  'GET /newsroom/articles/:id': 'staff',
  'POST /newsroom/articles/:id': 'staff',
  'POST /newsroom/articles/:id/autosave': 'staff',
  'POST /newsroom/articles/:id/move': 'staff',
  'POST /newsroom/articles/:id/comments': 'staff',
  'GET /newsroom/articles/:id/preview': 'staff',
  'GET /newsroom/articles/:id/revisions': 'staff',
  'GET /newsroom/articles/:id/revisions/compare': 'staff',
  'POST /newsroom/articles/:id/revisions/:rev/restore': 'staff',
  'POST /newsroom/articles/:id/pick': 'chiefs',
  'GET /newsroom/writing-rules': 'writingRules',
  'POST /newsroom/writing-rules': 'writingRules',
  'GET /newsroom/audit': 'chiefsAndAdmins',
  'GET /newsroom/redirects': 'redirects',
  'POST /newsroom/redirects': 'redirects',
  'GET /newsroom/redirects/:id': 'redirects',
  'POST /newsroom/redirects/:id': 'redirects',
  'GET /newsroom/redirects/:id/delete': 'redirects',
  'POST /newsroom/redirects/:id/delete': 'redirects',
  'GET /newsroom/reports': 'chiefs',
  'GET /newsroom/reports/:id': 'chiefs',
  'POST /newsroom/reports/:id/state': 'chiefs',
  'POST /newsroom/reports/:id/notes': 'chiefs',
  'GET /newsroom/media': 'staff',
  'POST /newsroom/media': 'staff',
  'GET /newsroom/media.json': 'staff',
  'GET /newsroom/pages': 'pageWriters',
  'POST /newsroom/pages': 'pageWriters',
  'GET /newsroom/pages/new': 'pageWriters',
  'GET /newsroom/pages/menu': 'pagePublishers',
  'POST /newsroom/pages/menu': 'pagePublishers',
  'GET /newsroom/pages/:id': 'pageWriters',
  'POST /newsroom/pages/:id': 'pageWriters',
  'POST /newsroom/pages/:id/autosave': 'pageWriters',
  'POST /newsroom/pages/:id/move': 'pageWriters',
  'GET /newsroom/pages/:id/preview': 'pageWriters',
  'GET /newsroom/pages/:id/delete': 'pagePublishers',
  'POST /newsroom/pages/:id/delete': 'pagePublishers',
  // The people desk; a staff member may open only their own profile (not the unknown one asked for here).
  'GET /newsroom/people': 'chiefsAndAdmins',
  'POST /newsroom/people': 'chiefsAndAdmins',
  'GET /newsroom/people/new': 'chiefsAndAdmins',
  'GET /newsroom/people/:id': 'chiefsAndAdmins',
  'POST /newsroom/people/:id': 'chiefsAndAdmins',
  'POST /newsroom/people/:id/roles': 'chiefsAndAdmins',
  'POST /newsroom/people/:id/roles/:roleId': 'chiefsAndAdmins',
  'GET /newsroom/people/:id/roles/:roleId/delete': 'chiefsAndAdmins',
  'POST /newsroom/people/:id/roles/:roleId/delete': 'chiefsAndAdmins',
  'POST /newsroom/people/:id/memberships': 'chiefsAndAdmins',
  'POST /newsroom/people/:id/memberships/:membershipId/end': 'chiefsAndAdmins',
  'POST /newsroom/people/:id/account': 'chiefsAndAdmins',
  'POST /newsroom/people/:id/invite': 'chiefsAndAdmins',
  'GET /newsroom/people/:id/byline': 'chiefsAndAdmins',
  'POST /newsroom/people/:id/byline': 'chiefsAndAdmins',
  'GET /newsroom/people/:id/consent': 'consentRecorders',
  'POST /newsroom/people/:id/consent': 'consentRecorders',
  'POST /newsroom/people/:id/consent/resend': 'consentRecorders',
  'GET /newsroom/consent': 'chiefsAndAdmins',
  'GET /newsroom/consent/ages': 'admins',
  'POST /newsroom/consent/ages': 'admins',
  'GET /newsroom/prizes': 'chiefsAndAdmins',
  'POST /newsroom/prizes': 'chiefsAndAdmins',
  'GET /newsroom/prizes/:id': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id/categories': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id/categories/:cid': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id/categories/:cid/remove': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id/criteria': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id/criteria/:crid/remove': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id/jurors': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id/jurors/:jid/remove': 'chiefsAndAdmins',
  'GET /newsroom/prizes/:id/results': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id/awards': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id/awards/:aid/remove': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id/publish': 'chiefsAndAdmins',
  'POST /newsroom/prizes/:id/entries/:eid/offer': 'chiefsAndAdmins',
  'GET /newsroom/prizes/:id/stats': 'chiefsAndAdmins',
  'GET /newsroom/prizes/:id/export.csv': 'chiefsAndAdmins',
  'GET /newsroom/prizes/:id/scores.csv': 'chiefsAndAdmins',
  'GET /newsroom/newsletters': 'newsletter',
  'GET /newsroom/newsletters/new': 'chiefsAndAdmins',
  'POST /newsroom/newsletters/new': 'chiefsAndAdmins',
  'GET /newsroom/newsletters/:slug/settings': 'newsletter',
  'POST /newsroom/newsletters/:slug/settings': 'newsletter',
  'POST /newsroom/newsletters/:slug/issues': 'newsletter',
  'GET /newsroom/newsletters/issues/:id': 'newsletter',
  'POST /newsroom/newsletters/issues/:id': 'newsletter',
  'POST /newsroom/newsletters/issues/:id/delete': 'newsletter',
  'GET /newsroom/newsletters/issues/:id/preview.html': 'newsletter',
  'GET /newsroom/newsletters/issues/:id/preview.txt': 'newsletter',
  'GET /newsroom/newsletters/issues/:id/preview': 'newsletter',
  'GET /newsroom/newsletters/issues/:id/sending': 'newsletter',
  'GET /newsroom/newsletters/:slug/subscribers': 'newsletter',
  'GET /newsroom/newsletters/:slug/subscribers.csv': 'newsletter',
  'GET /newsroom/newsletters/:slug/subscribers/import': 'newsletter',
  'POST /newsroom/newsletters/:slug/subscribers/import': 'newsletter',
  'POST /newsroom/newsletters/:slug/subscribers/:id/reactivate': 'newsletter',
  'POST /newsroom/newsletters/:slug/subscribers/:id/remove': 'newsletter',
  // The composer's fingerprinted script is an asset like any other.
  'GET /newsroom/newsletters/assets/<compose script>': 'everyone',
  'GET /judging': 'signedIn',
  'GET /judging/categories/:id': 'seatHolders',
  'POST /judging/categories/:id/awards': 'signedIn',
  'POST /judging/categories/:id/awards/:awardId/remove': 'signedIn',
  'GET /judging/entries/:id': 'signedIn',
  'POST /judging/entries/:id/scores': 'signedIn',
  'POST /judging/entries/:id/conflict': 'signedIn',
  'GET /api/judging': 'signedIn',
  'GET /api/judging/categories/:id': 'seatHolders',
  'GET /api/judging/entries/:id': 'signedIn',
  'POST /api/judging/entries/:id/scores': 'signedIn',
};

/** Pages outside the staff paths that a visitor is sent to sign in for: a reader's own. */
const READER_PAGES = [
  'GET /account',
  'GET /account/bookmarks',
  'GET /account/newsletters',
  'GET /account/export.json',
  'GET /account/delete',
  'GET /prizes/:slug/entries/:reference',
  'GET /prizes/:slug/entries/:reference/place',
];

/** Every method and path the app answers, read from Fastify's own route tree. */
function routesOf(app: FastifyInstance): { method: string; url: string }[] {
  const lines = app.printRoutes({ commonPrefix: false }).split('\n');
  const stack: string[] = [];
  const routes: { method: string; url: string }[] = [];
  for (const line of lines) {
    const m = /^([│ ├└─]*)(\S.*?) \(([A-Z, ]+)\)$/.exec(line.replace(/\u00a0/g, ' '));
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack[depth] = m[2]!;
    const url = stack.join('');
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') routes.push({ method, url });
  }
  return routes;
}

const keyOf = (method: string, url: string) => `${method} ${url.replace(/\/compose\.[0-9a-f]+\.js$/, '/<compose script>')}`;

function classify(status: number, location: string | undefined): Answer {
  if (status >= 500) return 'failed';
  if (status === 401 || (status === 303 && location?.startsWith('/account/sign-in'))) return 'sign-in';
  return status === 403 ? 'refused' : 'in';
}

let t: TestApp;
const clients = new Map<Who, Browserish>();

async function personWithRole(role: RoleName, sectionId: string): Promise<string> {
  const now = new Date().toISOString();
  const userId = newId();
  const personId = newId();
  await t.db
    .insertInto('users')
    .values({
      id: userId,
      email: `${role}@roles.example`,
      email_verified_at: now,
      password_hash: null,
      display_name: role,
      birth_year: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await t.db
    .insertInto('people')
    .values({
      id: personId,
      slug: `only-${role.replace(/_/g, '-')}`,
      name: `Only ${role}`,
      photo_media_id: null,
      birth_date: null,
      birthplace: null,
      show_birthplace: 0,
      locations: '[]',
      languages: '[]',
      bio_json: '{"type":"doc","content":[]}',
      bio_html: '',
      user_id: userId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await t.db
    .insertInto('role_assignments')
    .values({
      id: newId(),
      person_id: personId,
      role,
      section_id: role === 'section_editor' ? sectionId : null,
      newsroom_id: null,
      starts_on: '2020-01-01',
      ends_on: null,
      created_at: now,
    })
    .execute();
  return userId;
}

async function signedIn(userId: string | null): Promise<Browserish> {
  const b = new Browserish(t.app);
  if (userId) assert.equal((await signInByLink(t.app, b, userId)).statusCode, 303, `${userId} signs in`);
  await b.get('/account/sign-in');
  return b;
}

async function readerAccount(): Promise<string> {
  const now = new Date().toISOString();
  const userId = newId();
  await t.db
    .insertInto('users')
    .values({
      id: userId,
      email: 'reader@roles.example',
      email_verified_at: now,
      password_hash: null,
      display_name: 'Reader',
      birth_year: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return userId;
}

/** Fills a route's parameters with values that name nothing. */
const concrete = (url: string) => url.replace(/:slug\b/g, 'no-such-newsletter').replace(/:[A-Za-z]+/g, () => newId());

before(async () => {
  t = await buildTestApp();
  const section = await t.db.selectFrom('sections').select('id').executeTakeFirstOrThrow();
  for (const role of ROLE_NAMES) clients.set(role, await signedIn(await personWithRole(role, section.id)));
  clients.set('reader', await signedIn(await readerAccount()));
  clients.set('anonymous', await signedIn(null));
});
after(() => t.close());

describe('staff routes × roles', () => {
  it('has a row for every staff route, and a route for every row', () => {
    const found = routesOf(t.app)
      .filter((r) => STAFF_PATHS.test(r.url))
      .map((r) => keyOf(r.method, r.url));
    assert.ok(found.length > 50, `the route tree was read (${found.length} staff routes)`);
    assert.deepEqual(
      found.filter((k) => !(k in TABLE)),
      [],
      'staff routes without a row in the table',
    );
    assert.deepEqual(
      Object.keys(TABLE).filter((k) => !found.includes(k)),
      [],
      'rows for routes that no longer exist',
    );
  });

  it('finds no page outside the staff paths that wants a signed-in visitor, other than a reader’s own', async () => {
    const anonymous = clients.get('anonymous')!;
    const guarded: string[] = [];
    for (const { method, url } of routesOf(t.app).filter((r) => r.method === 'GET' && !STAFF_PATHS.test(r.url))) {
      const res = await anonymous.get(concrete(url));
      if (classify(res.statusCode, res.headers.location) === 'sign-in') guarded.push(keyOf(method, url));
    }
    assert.deepEqual(guarded.sort(), [...READER_PAGES].sort());
  });

  it('lets in, refuses or sends to sign in exactly as the table says', async () => {
    const wrong: string[] = [];
    for (const { method, url } of routesOf(t.app).filter((r) => STAFF_PATHS.test(r.url))) {
      const rule = TABLE[keyOf(method, url)];
      if (!rule) continue;
      const allowed: readonly Who[] = ACCESS[rule];
      for (const [who, client] of clients) {
        const path = concrete(url);
        const res = method === 'GET' ? await client.get(path) : await client.post(path, {});
        const got = classify(res.statusCode, res.headers.location);
        const expected: Answer = allowed.includes(who) ? 'in' : who === 'anonymous' ? 'sign-in' : 'refused';
        if (got !== expected) wrong.push(`${method} ${url} as ${who}: expected ${expected}, got ${got} (${res.statusCode})`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
