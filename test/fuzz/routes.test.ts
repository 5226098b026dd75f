// Sends a few thousand hostile requests at every route of the app and fails on any
// answer of 500 or more: wrong types, repeated fields, JSON where a form is
// expected, unicode above U+FFFF, NUL bytes, huge values, unknown ids, with and
// without a CSRF token, as a visitor, a reader and the editor-in-chief. The
// variations are fast-check arbitraries for each route's parameters, query and
// form (seeded: a failure repeats on the next run, FUZZ_SEED tries another set),
// and a marker sent in a field must never come back unescaped in an HTML answer.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { Parser } from 'htmlparser2';
import { newId } from '../../src/lib/ids.js';
import { hashPassword } from '../../src/modules/accounts/secrets.js';
import { keepCookies } from '../browserish.js';
import { buildTestApp, type TestApp } from '../helpers.js';
import { secretOnPage, totpCode } from '../two-factor.js';
import { multipartBody } from '../modules/media/multipart.js';
import { HOSTILE_STRINGS as SHARED_STRINGS, hostileText, runs, SEED } from './arbitraries.js';
import { insertAccount } from '../readers.js';

/** Variations per route and method; the total stays a few thousand. */
const GET_VARIATIONS = 10;
const POST_VARIATIONS = 28;

let t: TestApp;
before(async () => {
  t = await buildTestApp();
});
after(async () => {
  await t.close();
});

/** Sent in fields and queries; in an HTML answer they may show as text or inside an attribute's value, never as markup. */
const MARKERS = ['<script>fuzzMarker(1)</script>', '"><b data-fuzz-marker>', "'><i data-fuzz-marker>", '<img src=x data-fuzz-marker>'];

/** The markers an HTML page holds as markup of their own: a script that calls fuzzMarker, an element with data-fuzz-marker. */
function markersAsMarkup(html: string): string[] {
  if (!html.includes('fuzz')) return [];
  const found: string[] = [];
  let inScript = false;
  const parser = new Parser({
    onopentag(name, attribs) {
      if ('data-fuzz-marker' in attribs) found.push(`<${name} data-fuzz-marker>`);
      inScript = name === 'script';
    },
    onclosetag() {
      inScript = false;
    },
    ontext(text) {
      if (inScript && text.includes('fuzzMarker')) found.push('<script>fuzzMarker(…)</script>');
    },
  });
  parser.end(html);
  return found;
}

// --- hostile values ---
const deep = (depth: number): unknown => (depth === 0 ? 'x' : { a: deep(depth - 1) });
/** What forms trip over besides the shared hostile text of ./arbitraries.ts: numbers, dates, addresses, documents, a huge value. */
const HOSTILE_STRINGS = [
  'true',
  '1',
  '1.5',
  '%',
  '2026-02-30',
  '2026-13-45T25:61',
  '9'.repeat(40),
  'y'.repeat(120_000),
  'name@example.com',
  'ünïcödé@exämple.org',
  '00000000-0000-0000-0000-000000000000',
  '{"type":"doc","content":"oops"}',
  '{"type":"doc","content":[null]}',
  ...MARKERS,
];
const HOSTILE_JSON: unknown[] = [
  5,
  -1,
  1e308,
  0.5,
  true,
  false,
  null,
  {},
  [],
  ['a', 'b'],
  [1, 2],
  { a: 'b' },
  deep(60),
  '€😀',
  'x'.repeat(5000),
  [null],
  [{}],
];
const HOSTILE_PARAMS = [
  '00000000-0000-0000-0000-000000000000',
  newId(),
  '%00',
  '..',
  '%2e%2e%2f',
  '%E2%82%AC',
  '%F0%9F%98%80',
  '%FF',
  '%C0%AF',
  'x'.repeat(1500),
  '0',
  '-1',
  '1e999',
  'a%20b',
  '%3Cscript%3E',
];
const QUERY_NAMES = [
  'page',
  'next',
  'token',
  'q',
  'notice',
  'status',
  'section',
  'a',
  'b',
  'from',
  'to',
  'bookmark',
  'category',
  'sort',
  'width',
  'format',
  'done',
  '__proto__',
  'constructor',
];
const QUERY_VALUES = [
  '1',
  '0',
  '-1',
  '1e999',
  '2',
  '%E2%82%AC',
  '%F0%9F%98%80',
  '%00',
  '%FF',
  'x'.repeat(1500),
  '/',
  '//evil.example',
  '/%E2%82%AC',
  '/%F0%9F%98%80?x=%C3%A9',
  'javascript:alert(1)',
  '%2F%2Fevil',
  '..%2F..',
  ...MARKERS.map(encodeURIComponent),
];

// --- the same values as fast-check arbitraries ---
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom(...SHARED_STRINGS), hostileText);
const hostileJson = fc.oneof(
  fc.constantFrom(...HOSTILE_JSON),
  hostileString,
  fc.json({ maxDepth: 2 }).map((j) => JSON.parse(j) as unknown),
);
const LONE_SURROGATE = /([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/;
/** Percent-encoded; a lone surrogate (which has no UTF-8) is sent as the bytes a careless encoder would write for it. */
const encoded = (text: string) =>
  text
    .split(LONE_SURROGATE)
    .map((part, i) => (i % 2 ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
const hostileParam = fc.oneof(fc.constantFrom(...HOSTILE_PARAMS), hostileString.map(encoded));
const queryValue = fc.oneof(fc.constantFrom(...QUERY_VALUES), hostileString.map(encoded));
/** One to three query parameters (some as lists), sometimes the first repeated. */
const queryArb = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), fc.boolean(), queryValue), { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([params, repeat]) => {
    const query = params.map(([name, list, value]) => `${name}${list ? '[]' : ''}=${value}`);
    if (repeat) query.push(query[0]!);
    return query.join('&');
  });

// --- clients: cookies and a CSRF token, a new address per request (rate limits count per address) ---
class Client {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly name: string) {}

  remember(res: LightMyRequestResponse): LightMyRequestResponse {
    keepCookies(this.cookies, res);
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (token) this.csrf = token[1]!;
    return res;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}), ...extra };
  }
}

let sent = 0;
const address = () => `10.${((sent >> 16) % 250) + 1}.${((sent >> 8) & 255) % 250}.${(sent & 255) % 250}`;

interface Attempt {
  method: string;
  url: string;
  client: Client;
  headers?: Record<string, string>;
  payload?: string | Buffer;
  describe: string;
}

const failures: string[] = [];
let shownForms = 0;
const statuses = new Map<number, number>();
const errors = new Map<string, string>();

async function send(a: Attempt): Promise<LightMyRequestResponse> {
  sent++;
  errors.clear();
  const res = await t.app.inject({
    method: a.method as 'GET',
    url: a.url,
    remoteAddress: address(),
    headers: a.client.headers(a.headers),
    ...(a.payload !== undefined ? { payload: a.payload } : {}),
  });
  a.client.remember(res);
  statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
  if (process.env.FUZZ_TRACE)
    console.log(res.statusCode, a.method, a.url.slice(0, 100), a.client.name, a.describe.slice(0, 120), [...errors.values()].pop() ?? '');
  if (res.statusCode >= 500) {
    const error = [...errors.values()].pop() ?? '';
    failures.push(`${res.statusCode} ${a.method} ${a.url.slice(0, 160)} as ${a.client.name}: ${a.describe.slice(0, 300)} (${error})`);
  }
  if (/^text\/html/.test(String(res.headers['content-type'] ?? ''))) {
    const reflected = markersAsMarkup(res.body);
    if (reflected.length)
      failures.push(
        `${a.method} ${a.url.slice(0, 160)} as ${a.client.name} answers ${reflected.join(' and ')} as markup: ${a.describe.slice(0, 300)}`,
      );
  }
  return res;
}

/** Signs a client in through a one-time sign-in link, as a person would. */
async function signIn(client: Client, userId: string): Promise<void> {
  const link = await t.app.accounts.signInLinkFor(userId);
  const path = link.replace(/^https?:\/\/[^/]+/, '');
  client.remember(await t.app.inject({ method: 'GET', url: path, headers: client.headers() }));
  const res = client.remember(
    await t.app.inject({
      method: 'POST',
      url: '/account/link',
      headers: client.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      payload: new URLSearchParams({ _csrf: client.csrf, token: new URL(link).searchParams.get('token')! }).toString(),
    }),
  );
  assert.equal(res.statusCode, 303, `${client.name} signs in`);
  // Staff whose role requires two-factor sign-in set it up first, as a person would, so the fuzz gets past the newsroom's door.
  if (res.headers.location === '/account/two-factor/setup') {
    const setup = client.remember(await t.app.inject({ method: 'GET', url: '/account/two-factor/setup', headers: client.headers() }));
    const done = client.remember(
      await t.app.inject({
        method: 'POST',
        url: '/account/two-factor/setup',
        headers: client.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
        payload: new URLSearchParams({ _csrf: client.csrf, code: totpCode(secretOnPage(setup.body)) }).toString(),
      }),
    );
    assert.equal(done.statusCode, 200, `${client.name} sets up two-factor sign-in`);
  }
}

async function userFor(email: string, name: string): Promise<string> {
  return insertAccount(t, email, { name });
}

/** Route table from Fastify's own printout: the tree's indentation gives each line's parent. */
function routesOf(tree: string): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│├└─\s]*)(\S.*?) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = Math.round([...m[1]!].length / 4);
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = path;
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') routes.push({ method, path });
  }
  return routes;
}

/** Every value a column holds, from tables that may be missing or renamed: best effort. */
async function columnValues(table: string, column: string): Promise<string[]> {
  try {
    const rows = (await t.db
      .selectFrom(table as 'users')
      .select(column as 'id')
      .limit(40)
      .execute()) as unknown as Record<string, unknown>[];
    return rows.map((r) => String(r[column])).filter((v) => v !== 'null' && v !== 'undefined');
  } catch {
    return [];
  }
}

it('answers every route below 500 whatever it is sent', { timeout: 600_000 }, async () => {
  const started = Date.now();
  // The error behind each 500, for the report.
  t.app.addHook('onError', async (request, _reply, error) => {
    errors.set(request.id, `${error.name}: ${error.message}`.slice(0, 200));
  });
  await t.app.ready();
  const routes = routesOf(t.app.printRoutes({ commonPrefix: false }));
  assert.ok(routes.length > 80, `found the routes (${routes.length})`);

  // Plausible values for path parameters, from the demo.
  const ids = [
    ...(await columnValues('articles', 'id')),
    ...(await columnValues('people', 'id')),
    ...(await columnValues('competitions', 'id')),
    ...(await columnValues('competition_categories', 'id')),
    ...(await columnValues('entries', 'id')),
    ...(await columnValues('newsletter_issues', 'id')),
    ...(await columnValues('role_assignments', 'id')),
    ...(await columnValues('newsroom_members', 'id')),
    ...(await columnValues('rubric_criteria', 'id')),
    ...(await columnValues('jurors', 'id')),
    ...(await columnValues('awards', 'id')),
    ...(await columnValues('subscriptions', 'id')),
    ...(await columnValues('article_revisions', 'id')),
  ];
  const slugs = [
    ...(await columnValues('articles', 'slug')),
    ...(await columnValues('sections', 'slug')),
    ...(await columnValues('tags', 'slug')),
    ...(await columnValues('people', 'slug')),
    ...(await columnValues('competitions', 'slug')),
    ...(await columnValues('newsletters', 'slug')),
    ...(await columnValues('newsrooms', 'slug')),
  ];
  const files = [...(await columnValues('media', 'file')), ...(await columnValues('media', 'hash')).map((h) => `${h}.jpg`)];
  const plausible: Record<string, string[]> = {
    slug: slugs,
    file: files.length ? files : ['x.jpg'],
    reference: await columnValues('entries', 'reference'),
    number: ['1', '2', '3'],
    rev: [...(await columnValues('article_revisions', 'id')), '1', '2'],
    token: ['abc'],
  };
  // The table a parameter most likely names, from the segment before it (or its own name).
  const tableFor: [RegExp, string, string][] = [
    [/articles\/$/, 'articles', 'id'],
    [/people\/$/, 'people', 'id'],
    [/prizes\/$/, 'competitions', 'id'],
    [/issues\/$/, 'newsletter_issues', 'id'],
    [/entries\/$/, 'entries', 'id'],
    [/categories\/$/, 'competition_categories', 'id'],
    [/criteria\/$/, 'rubric_criteria', 'id'],
    [/jurors\/$/, 'jurors', 'id'],
    [/awards\/$/, 'awards', 'id'],
    [/roles\/$/, 'role_assignments', 'id'],
    [/memberships\/$/, 'newsroom_members', 'id'],
    [/revisions\/$/, 'article_revisions', 'id'],
    [/subscribers\/$/, 'subscriptions', 'id'],
    [/^\/articles\/$/, 'articles', 'slug'],
    [/^\/sections\/$/, 'sections', 'slug'],
    [/^\/tags\/$/, 'tags', 'slug'],
    [/^\/people\/$/, 'people', 'slug'],
    [/^\/prizes\/$/, 'competitions', 'slug'],
    [/newsletters\/$/, 'newsletters', 'slug'],
    [/^\/newsrooms\/$/, 'newsrooms', 'slug'],
  ];
  const byTable = new Map<string, string[]>();
  for (const [, table, column] of tableFor) byTable.set(`${table}.${column}`, await columnValues(table, column));
  /** A value for the path parameter `name` that follows `before`: one the demo holds, or (when hostile, three times in ten) a hostile one. */
  const paramArb = (before: string, name: string, hostile: boolean): fc.Arbitrary<string> => {
    const known = tableFor.find(([re, , column]) => re.test(before) && (column === 'slug') === (name === 'slug'));
    const specific = known ? byTable.get(`${known[1]}.${known[2]}`) : undefined;
    const pool = specific?.length ? specific : plausible[name]?.length ? plausible[name] : ids;
    const plain = fc.constantFrom(...(pool.length ? pool : ['x'])).map(encodeURIComponent);
    return hostile ? fc.oneof({ weight: 7, arbitrary: plain }, { weight: 3, arbitrary: hostileParam }) : plain;
  };
  /** The route's path with its parameters filled in. */
  const pathArb = (path: string, hostile = true): fc.Arbitrary<string> => {
    const parts: fc.Arbitrary<string>[] = [];
    let out = '';
    let rest = path;
    for (let m = /:([A-Za-z]+)/.exec(rest); m; m = /:([A-Za-z]+)/.exec(rest)) {
      out += rest.slice(0, m.index);
      parts.push(fc.constant(rest.slice(0, m.index)), paramArb(out, m[1]!, hostile));
      out += 'x';
      rest = rest.slice(m.index + m[0].length);
    }
    parts.push(fc.constant(rest));
    return fc.tuple(...parts).map((filled) => filled.join(''));
  };
  /** One plain filling of a path, the same on every run of a seed. */
  const fill = (path: string) => fc.sample(pathArb(path, false), { seed: SEED, numRuns: 1 })[0]!;

  /**
   * Sends `numRuns` requests drawn from `arb`; a request that answers 5xx or
   * reflects a marker fails the property, and fast-check shrinks it to the
   * smallest such request it finds: the first failure and that one are reported.
   */
  const fuzz = async <T>(arb: fc.Arbitrary<T>, numRuns: number, attempt: (value: T) => Attempt): Promise<void> => {
    const before = failures.length;
    const details = await fc.check(
      fc.asyncProperty(arb, async (value) => {
        const count = failures.length;
        await send(attempt(value));
        return failures.length === count;
      }),
      runs(numRuns) as fc.Parameters<[T]>,
    );
    if (!details.failed) return;
    const found = failures.splice(before);
    failures.push(
      `${found[0]}\n    smallest found: ${found[found.length - 1]} (seed ${details.seed}, path "${details.counterexamplePath}")`,
    );
  };

  // Clients: a visitor, a reader, the editor-in-chief.
  const visitor = new Client('visitor');
  const reader = new Client('reader');
  const staff = new Client('editor-in-chief');
  await signIn(reader, await userFor('fuzz-reader@example.org', 'Fuzz Reader'));
  const eic = await t.db
    .selectFrom('people')
    .select(['id', 'name', 'user_id'])
    .where('slug', '=', 'aarav-kulkarni')
    .executeTakeFirstOrThrow();
  let eicUser = eic.user_id;
  if (!eicUser) {
    eicUser = await userFor('aarav@newsroom.example', eic.name);
    await t.db.updateTable('people').set({ user_id: eicUser }).where('id', '=', eic.id).execute();
  }
  await signIn(staff, eicUser);
  // A juror of the demo prize, for the jury's pages (the editor-in-chief may not be one).
  const juror = new Client('juror');
  const jurorUser = (await columnValues('jurors', 'user_id')).find((id) => id !== eicUser);
  if (jurorUser) await signIn(juror, jurorUser);
  const clients = [visitor, reader, staff];
  for (const c of clients) c.remember(await t.app.inject({ method: 'GET', url: '/account/sign-in/link', headers: c.headers() }));

  // Signing in with a hostile next=: every answer below 500, a redirect HTTP allows, and a session row
  // for each sign-in that succeeded and none for those that failed.
  const password = 'correct horse battery';
  const now = new Date().toISOString();
  const signerId = newId();
  await t.db
    .insertInto('users')
    .values({
      id: signerId,
      email: 'fuzz-next@example.org',
      email_verified_at: now,
      password_hash: await hashPassword(password),
      display_name: 'Fuzz Next',
      birth_year: 2008,
      created_at: now,
      updated_at: now,
    })
    .execute();
  let signedIn = 0;
  for (const next of [
    '/€',
    '/😀?x=🦄',
    '/ü',
    '/\ud800',
    '/a\u0000b',
    '/x'.repeat(400),
    '//evil.example',
    '/%E2%82%AC',
    'javascript:alert(1)',
    '/\u2028',
  ]) {
    for (const right of [false, true]) {
      const client = new Client('visitor signing in');
      client.remember(await t.app.inject({ method: 'GET', url: '/account/sign-in', headers: client.headers() }));
      const form = new URLSearchParams({
        _csrf: client.csrf,
        email: 'fuzz-next@example.org',
        password: right ? password : 'wrong password',
        next,
      });
      const res = await send({
        method: 'POST',
        url: '/account/sign-in',
        client,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form.toString(),
        describe: `sign in (${right ? 'right' : 'wrong'} password) next=${next}`,
      });
      if (res.statusCode === 303) {
        signedIn++;
        const location = String(res.headers.location);
        if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(location))
          failures.push(`sign-in with next=${next} redirects to ${location}, not a local address in ASCII`);
      }
    }
  }
  const sessions = await t.db.selectFrom('sessions').select('id').where('user_id', '=', signerId).execute();
  if (sessions.length !== signedIn)
    failures.push(`${signedIn} sign-ins with a hostile next= succeeded but ${sessions.length} sessions were written`);

  // Forms: every form the pages show (as the editor-in-chief sees them), by action, with their fields and values.
  const forms = new Map<string, [string, string][]>();
  const harvest = (html: string) => {
    for (const form of html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
      const action = form[1]!.replace(/&amp;/g, '&').split('?')[0]!;
      const fields: [string, string][] = [];
      for (const input of form[2]!.matchAll(/<(input|textarea|select)\b([^>]*)>/g)) {
        const name = /\bname="([^"]+)"/.exec(input[2]!)?.[1];
        if (!name || name === '_csrf') continue;
        // What a browser sends: one radio of a group, checked boxes only, no buttons or files.
        const type = /\btype="([^"]+)"/.exec(input[2]!)?.[1] ?? '';
        if (['submit', 'button', 'file', 'image', 'reset'].includes(type)) continue;
        if (type === 'checkbox' && !/\bchecked\b/.test(input[2]!)) continue;
        if (type === 'radio' && fields.some(([n]) => n === name)) continue;
        const value = /\bvalue="([^"]*)"/.exec(input[2]!)?.[1] ?? '';
        fields.push([name, value.replace(/&amp;/g, '&').replace(/&quot;/g, '"')]);
      }
      if (!forms.has(action) || forms.get(action)!.length < fields.length) forms.set(action, fields);
    }
  };

  // Session-ending routes go last, so the signed-in clients stay signed in for the rest.
  const endsSession = (path: string) => /^\/account\/(sign-out|delete|password|email$)/.test(path);
  const ordered = [
    ...routes.filter((r) => r.method === 'GET'),
    ...routes.filter((r) => r.method !== 'GET' && !endsSession(r.path)),
    ...routes.filter((r) => r.method !== 'GET' && endsSession(r.path)),
  ];

  for (const route of ordered) {
    const pattern = new RegExp(`^${route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    if (route.method === 'GET') {
      // A plain visit by each client first (and the forms it shows), then hostile queries.
      for (const client of [...clients, juror]) {
        const res = await send({ method: 'GET', url: fill(route.path), client, describe: 'plain visit' });
        if ((client === staff || client === juror) && res.statusCode === 200) harvest(res.body);
      }
      await fuzz(
        fc.record({
          client: fc.constantFrom(...clients),
          path: pathArb(route.path),
          query: queryArb,
          headers: fc.constantFrom<Record<string, string>>({}, { accept: 'application/json' }),
        }),
        GET_VARIATIONS,
        ({ client, path, query, headers }) => ({ method: 'GET', url: `${path}?${query}`, client, headers, describe: `query ${query}` }),
      );
      continue;
    }

    const shown = [...forms].filter(([action]) => pattern.test(action));
    const known = shown[0]?.[1] ?? [];
    const names = known.length ? [...new Set(known.map(([n]) => n))] : ['email', 'name', 'title', 'token', 'next', 'body', 'id', 'slug'];
    const base = (): [string, string][] =>
      known.length ? known.map(([n, v]) => [n, v] as [string, string]) : names.map((n) => [n, 'x'] as [string, string]);
    // The newsroom's and the jury's routes are fuzzed mostly as the editor-in-chief, who gets past the door.
    const inside = /^\/(newsroom|judging|api)\b/.test(route.path);
    if (known.length) {
      shownForms++;
      // The form as the page shows it must get past the input checks.
      const by = /judging/.test(route.path) ? juror : staff;
      const fields: [string, string][] = [['_csrf', by.csrf], ...base()];
      const res = await send({
        method: route.method,
        url: shown[0]![0],
        client: by,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
        describe: 'the form as shown',
      });
      if (res.statusCode === 400 && /invalid_input|sent more than once|must be text/.test(res.body))
        failures.push(`${route.method} ${route.path}: the form the page shows is refused: ${res.body.slice(0, 200)}`);
    }
    // Who sends it: the newsroom's and the jury's routes mostly as one who gets past the door.
    const insider = /judging/.test(route.path) ? fc.constantFrom(juror, staff) : fc.constant(staff);
    const sender = inside
      ? fc.oneof({ weight: 2, arbitrary: insider }, { weight: 1, arbitrary: fc.constantFrom(...clients) })
      : fc.constantFrom(...clients);
    const name = fc.constantFrom(...names);
    const body = fc.oneof(
      {
        // A form as the page shows it, with one or two fields made hostile (or sent again), a second token, an odd name.
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('form' as const),
          edits: fc.array(fc.tuple(name, hostileString), { minLength: 1, maxLength: 2 }),
          repeat: fc.boolean(),
          secondToken: fc.nat(6).map((n) => n === 0),
          odd: fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'), hostileString), { freq: 5 }),
          json: fc.nat(2).map((n) => n === 0),
        }),
      },
      {
        // JSON where a form is expected: numbers, objects, nulls, arrays for the fields, or no object at all.
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('json' as const),
          body: fc.oneof(
            { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], 'text', 5, [{ email: 'a@b.c' }], true) },
            {
              weight: 4,
              arbitrary: fc.record(
                {
                  fieldsSent: fc.dictionary(name, hostileJson, { maxKeys: names.length }),
                  fields: fc.dictionary(name, hostileJson),
                  version: hostileJson,
                  scores: fc.oneof(
                    fc
                      .tuple(fc.constantFrom(...(ids.length ? ids : ['x'])), hostileJson)
                      .map(([criterionId, score]) => [{ criterionId, score }]),
                    fc.constantFrom<unknown>('x', [5], null),
                  ),
                  _csrf: hostileJson,
                  odd: fc.tuple(fc.constantFrom('constructor', 'toString', 'hasOwnProperty'), hostileJson),
                },
                { requiredKeys: ['fieldsSent'] },
              ),
            },
          ),
          html: fc.boolean(),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('multipart' as const),
          values: fc.array(fc.option(hostileString, { freq: 2 }), { maxLength: names.length }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('raw' as const),
          payload: fc.constantFrom('\u0000\u0001', 'a=b', '{"email":', '<xml/>'),
          type: fc.constantFrom('text/plain', 'application/json', 'application/x-www-form-urlencoded; charset=latin1', 'application/xml'),
        }),
      },
    );
    const url = shown.length ? fc.oneof(fc.constantFrom(...shown.map(([action]) => action)), pathArb(route.path)) : pathArb(route.path);
    await fuzz(
      fc.record({ client: sender, url, noToken: fc.nat(7).map((n) => n === 0), body }),
      POST_VARIATIONS,
      ({ client, url, noToken, body }) => {
        const csrf = noToken ? '' : client.csrf;
        let payload: string | Buffer;
        let headers: Record<string, string>;
        if (body.kind === 'form') {
          const fields = base();
          for (const [field, value] of body.edits) {
            if (body.repeat) fields.push([field, value]);
            else fields.splice(0, fields.length, ...fields.map(([n, v]) => [n, n === field ? value : v] as [string, string]));
          }
          if (csrf) fields.unshift(['_csrf', csrf]);
          if (body.secondToken) fields.push(['_csrf', csrf || 'x']);
          if (body.odd) fields.push(body.odd);
          payload = new URLSearchParams(fields).toString();
          headers = { 'content-type': 'application/x-www-form-urlencoded', ...(body.json ? { accept: 'application/json' } : {}) };
        } else if (body.kind === 'json') {
          let sent: unknown = body.body;
          if (sent !== null && typeof sent === 'object' && 'fieldsSent' in sent) {
            const { fieldsSent, odd, ...rest } = sent as { fieldsSent: Record<string, unknown>; odd?: [string, unknown] };
            sent = { ...Object.fromEntries(base()), ...fieldsSent, ...rest, ...(odd ? { [odd[0]]: odd[1] } : {}) };
          }
          payload = JSON.stringify(sent);
          headers = {
            'content-type': 'application/json',
            accept: body.html ? 'text/html' : 'application/json',
            ...(csrf ? { 'x-csrf-token': csrf } : {}),
          };
        } else if (body.kind === 'multipart') {
          const parts: [string, string][] = [
            ...(csrf ? [['_csrf', csrf] as [string, string]] : []),
            ...base().map(([n, v], k) => [n, body.values[k] ?? v] as [string, string]),
          ];
          const built = multipartBody(parts);
          payload = built.body;
          headers = { 'content-type': built.contentType };
        } else {
          payload = body.payload;
          headers = { 'content-type': body.type };
        }
        const describe = `${body.kind} ${Buffer.isBuffer(payload) ? `${payload.length} bytes` : payload}`;
        return { method: route.method, url, client, headers, payload, describe };
      },
    );
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const posts = routes.filter((r) => r.method !== 'GET').length;
  console.log(
    `fuzzed ${routes.length} routes with ${sent} requests in ${seconds} s (seed ${SEED}); ${failures.length} failed (5xx or a reflected marker); ${shownForms} of ${posts} forms also sent as their page shows them`,
  );
  console.log(
    `answers by status: ${[...statuses]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}×${n}`)
      .join(', ')}`,
  );
  assert.deepEqual(failures, [], `answers of 500 or more, or with a marker unescaped:\n${failures.join('\n')}`);
});
