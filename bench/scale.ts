// Scale benchmark: the site's pages at 100,000 published articles (ten years, five
// sections), 2,000 people, 500 tags, 50,000 readers with 200,000 bookmarks and
// 200,000 newsletter subscribers (bench/scale-data.ts), on SQLite and on
// PostgreSQL, with the render cache off (RENDER_CACHE_ENTRIES=0) and
// NODE_ENV=production. Each page is fetched sequentially after a warm-up; the
// report gives p50, p95 and max per page, each p50 next to /healthz measured the
// same way in the same run, and the server's memory afterwards.
// Budget: p95 under 50 ms per page, the server's peak RSS under 250 MB.
//
// `npm run bench:scale [-- --db sqlite|postgres|both --articles N --requests N --only a,b --keep DIR]`
// --only measures the pages whose names contain one of the words; --keep DIR keeps
// the generated data (DIR/sqlite-N.db, the PostgreSQL schema bench_keep_N, and what
// the bench needs to know of it in DIR/<db>-N.json) and reuses it on the next run,
// migrated to the latest schema first, so a change can be measured again in seconds.
// PostgreSQL: DATABASE_URL (or postgres://postgres@127.0.0.1:5432/postgres), in a
// schema of its own, dropped afterwards.
//
// The data is generated in this process; the app runs in a child process (this
// file with --serve, through tsx) that reports its port, the session cookies of
// the editor-in-chief and of a reader, and on request its process.memoryUsage(),
// over the IPC channel: no public route involved. Exits non-zero when a page
// answers anything but 200; budgets are reported, not enforced.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DatabaseConfig } from '../src/config.js';
import { formatTable } from './lib.js';
import type { ScaleData } from './scale-data.js';

const TARGET_P95_MS = 50;
const MEMORY_BUDGET_MB = 250;
const WARMUP_REQUESTS = 5;
/** A very slow page stops being sampled after this long (its figures then rest on fewer requests, shown in "n"). */
const PAGE_TIME_CAP_MS = 30_000;
const READY_TIMEOUT_MS = 120_000;
const SELF = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;

/** Messages from the app child. */
type ChildMessage =
  { ready: { port: number; staffCookie: string; readerCookie: string } } | { memory: NodeJS.MemoryUsage & { maxRss: number } };

/** Messages to the app child. */
type ParentMessage = { memory: true };

// ---------------------------------------------------------------------------
// Child: the app over the generated database
// ---------------------------------------------------------------------------

async function serveApp(): Promise<void> {
  const { loadConfig } = await import('../src/config.js');
  const { startServer } = await import('../src/server.js');
  const { SESSION_COOKIE } = await import('../src/web/viewer.js');
  const database = JSON.parse(process.env.BENCH_SCALE_DATABASE!) as DatabaseConfig;
  const config = loadConfig(process.env, { database });
  const server = await startServer(config);
  const stop = () => void server.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  // The IPC channel closes however the parent ends, even on SIGKILL: no server outlives it.
  process.once('disconnect', stop);
  const cookie = async (userId: string) => `${SESSION_COOKIE}=${(await server.app.accounts.createSession(userId, true)).token}`;
  // The editor-in-chief's newsroom asks for two-factor sign-in: set up once, as a person would with an authenticator app.
  const editorId = process.env.BENCH_SCALE_EDITOR!;
  const { twoFactor } = server.app.accounts;
  if (!(await twoFactor.isEnabled(editorId))) {
    const { TOTP, Secret } = await import('otpauth');
    const { secret } = await twoFactor.setupSecret(editorId);
    await twoFactor.confirmSetup(editorId, new TOTP({ secret: Secret.fromBase32(secret) }).generate());
  }
  const staffCookie = await cookie(editorId);
  const readerCookie = await cookie(process.env.BENCH_SCALE_READER!);
  const address = server.app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the app is not listening on a TCP port');
  process.on('message', (message: ParentMessage) => {
    if (message.memory) {
      const reply: ChildMessage = { memory: { ...process.memoryUsage(), maxRss: process.resourceUsage().maxRSS * 1024 } };
      process.send!(reply);
    }
  });
  const ready: ChildMessage = { ready: { port: address.port, staffCookie, readerCookie } };
  process.send!(ready);
}

// ---------------------------------------------------------------------------
// Parent
// ---------------------------------------------------------------------------

interface AppChild {
  process: ChildProcess;
  port: number;
  staffCookie: string;
  readerCookie: string;
}

const children = new Set<ChildProcess>();
/** The PostgreSQL schema being filled or measured, dropped if the run is interrupted. */
let dropOnSignal: (() => Promise<void>) | null = null;

function startApp(env: NodeJS.ProcessEnv): Promise<AppChild> {
  // The child's stdout (server logs) goes to our stderr, so the report on stdout stays clean.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), SELF, '--serve'], {
    env,
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app was not ready after ${READY_TIMEOUT_MS / 1000} s`));
    }, READY_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the app exited before it was ready (${signal ?? `code ${code}`})`));
    });
    child.on('message', (message: ChildMessage) => {
      if ('ready' in message) {
        clearTimeout(timer);
        resolve({ process: child, ...message.ready });
      }
    });
  });
}

function memoryOf(child: ChildProcess): Promise<NodeJS.MemoryUsage & { maxRss: number }> {
  return new Promise((resolve) => {
    const listener = (message: ChildMessage) => {
      if ('memory' in message) {
        child.off('message', listener);
        resolve(message.memory);
      }
    };
    child.on('message', listener);
    const ask: ParentMessage = { memory: true };
    child.send(ask);
  });
}

async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// One kept-alive connection: the requests are sequential, as one reader's would be.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** GETs a path in full; resolves with the status, the body and the milliseconds to its last byte. */
function get(port: number, path: string, cookie?: string): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      { host: '127.0.0.1', port, path, agent, headers: { 'accept-encoding': 'identity', ...(cookie ? { cookie } : {}) } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), ms: performance.now() - started }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

interface Page {
  name: string;
  path: string;
  viewer?: 'staff' | 'reader';
}

interface Measured extends Page {
  n: number;
  p50: number;
  p95: number;
  max: number;
  /** Every status seen, e.g. "200" or "200,500". */
  statuses: string;
  /** The uncompressed body of the last response. */
  bytes: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function measure(app: AppChild, page: Page, requests: number): Promise<Measured> {
  const cookie = page.viewer === 'staff' ? app.staffCookie : page.viewer === 'reader' ? app.readerCookie : undefined;
  const statuses = new Set<number>();
  for (let i = 0; i < WARMUP_REQUESTS; i += 1) statuses.add((await get(app.port, page.path, cookie)).status);
  const times: number[] = [];
  const started = performance.now();
  let bytes = 0;
  while (times.length < requests && performance.now() - started < PAGE_TIME_CAP_MS) {
    const res = await get(app.port, page.path, cookie);
    statuses.add(res.status);
    times.push(res.ms);
    bytes = Buffer.byteLength(res.body);
  }
  times.sort((a, b) => a - b);
  return {
    ...page,
    n: times.length,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: times[times.length - 1]!,
    statuses: [...statuses].sort().join(','),
    bytes,
  };
}

/** A list's last page, from its pagination's "Page 1 of N"; 1 when it has none. */
function lastPageOf(html: string): number {
  return Number(/Page \d+ of (\d+)/.exec(html)?.[1] ?? 1);
}

async function pagesFor(app: AppChild, data: ScaleData): Promise<Page[]> {
  const section = data.sectionSlugs[0]!;
  const first = await get(app.port, `/sections/${section}`);
  const last = lastPageOf(first.body);
  return [
    { name: 'baseline (/healthz)', path: '/healthz' },
    { name: 'home', path: '/' },
    { name: 'article, oldest', path: `/articles/${data.oldestArticleSlug}` },
    { name: 'article, newest', path: `/articles/${data.newestArticleSlug}` },
    { name: 'section, page 1', path: `/sections/${section}` },
    { name: `section, last page`, path: `/sections/${section}?page=${last}` },
    { name: `tag (${data.busyTagArticles} articles)`, path: `/tags/${data.busyTagSlug}` },
    { name: `person (${data.prolificArticles} articles)`, path: `/people/${data.prolificPersonSlug}` },
    { name: 'people directory', path: '/people' },
    { name: 'newsroom articles', path: '/newsroom/articles', viewer: 'staff' },
    {
      name: 'newsroom articles, filtered',
      path: `/newsroom/articles?status=published&section=${data.sectionIds[0]}&author=${data.prolificPersonId}`,
      viewer: 'staff',
    },
    { name: 'newsroom articles, search', path: '/newsroom/articles?q=climate', viewer: 'staff' },
    // A word in no article: no early stop, every article is looked at unless an index answers.
    { name: 'newsroom articles, search, no match', path: '/newsroom/articles?q=zqxwvj', viewer: 'staff' },
    { name: `bookmarks (${data.readerBookmarks})`, path: '/account/bookmarks', viewer: 'reader' },
    { name: 'newsletter composer', path: `/newsroom/newsletters/issues/${data.draftIssueId}`, viewer: 'staff' },
    { name: 'subscriber list', path: `/newsroom/newsletters/${data.newsletterSlug}/subscribers`, viewer: 'staff' },
  ];
}

/** VACUUM (ANALYZE) of every table in a PostgreSQL schema (VACUUM runs outside a transaction, one table at a time). */
async function vacuumSchema(url: string, schema: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url, user: new URL(url).username || 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>('select tablename from pg_tables where schemaname = $1', [schema]);
    for (const { tablename } of rows)
      await client.query(`vacuum (analyze) ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(tablename)}`);
  } finally {
    await client.end();
  }
}

const ms = (value: number) => value.toFixed(1);
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

interface RunOptions {
  only: string[];
  keep: string | undefined;
}

async function runOn(kind: 'sqlite' | 'postgres', articles: number, requests: number, run: RunOptions): Promise<boolean> {
  const { openDatabase } = await import('../src/db/database.js');
  const { migrateToLatest } = await import('../src/db/migrate.js');
  const { generateScaleData, scaledOptions } = await import('./scale-data.js');
  const pg = (await import('pg')).default;

  const dir = await mkdtemp(join(tmpdir(), 'harbinger-bench-scale-'));
  if (run.keep) await mkdir(run.keep, { recursive: true });
  const kept = run.keep ? join(run.keep, `${kind}-${articles}.json`) : null;
  const pgUrl = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '')
    ? process.env.DATABASE_URL!
    : 'postgres://postgres@127.0.0.1:5432/postgres';
  const schema = kind === 'postgres' ? (run.keep ? `bench_keep_${articles}` : `bench_${randomBytes(6).toString('hex')}`) : undefined;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: pgUrl, user: new URL(pgUrl).username || 'postgres' });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  const sqliteFile = run.keep ? join(run.keep, `sqlite-${articles}.db`) : join(dir, 'harbinger.db');
  const config: DatabaseConfig = schema ? { kind: 'postgres', url: pgUrl, schema } : { kind: 'sqlite', file: sqliteFile };
  const reuse = kept !== null && existsSync(kept);
  let app: AppChild | null = null;
  try {
    if (schema && !reuse) {
      if (run.keep) await admin(`drop schema if exists ${schema} cascade`);
      await admin(`create schema ${schema}`);
      // An interrupted load still holds its locks, so the drop may wait: it gets a few seconds, then is left to be done by hand.
      dropOnSignal = () =>
        Promise.race([
          admin(`drop schema if exists ${schema} cascade`),
          new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref()).then(() =>
            console.error(`schema ${schema} left behind: drop it`),
          ),
        ]);
    }
    const options = scaledOptions(articles);
    if (!reuse && !schema && run.keep) await rm(sqliteFile, { force: true });
    process.stderr.write(reuse ? `reusing the data kept in ${run.keep} on ${kind}…\n` : `generating ${articles} articles on ${kind}…\n`);
    const database = openDatabase(config);
    const started = performance.now();
    let data: ScaleData;
    try {
      await migrateToLatest(database.db, schema);
      if (reuse) {
        data = JSON.parse(await readFile(kept, 'utf8')) as ScaleData;
        // New indexes from a migration need the planner's statistics, and index-only scans the visibility map,
        // both as autovacuum keeps them (it may be off on the server): this schema's tables, vacuumed and analyzed.
        if (schema) await vacuumSchema(pgUrl, schema);
      } else {
        data = await generateScaleData(database.db, options, (line) => process.stderr.write(`  ${line}\n`));
        if (kept) await writeFile(kept, JSON.stringify(data));
      }
    } finally {
      await database.close();
    }
    const generatedIn = (performance.now() - started) / 1000;

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      RENDER_CACHE_ENTRIES: '0',
      SEED_DEMO: 'false',
      // Pages only: the job worker would poll the database between them.
      RUN_WORKER: 'false',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SITE_URL: 'https://harbinger.example',
      DATA_DIR: dir,
      BENCH_SCALE_DATABASE: JSON.stringify(config),
      BENCH_SCALE_EDITOR: data.editorUserId,
      BENCH_SCALE_READER: data.readerUserId,
    };
    // One process, no shared state: the change bus stays local.
    delete env.REDIS_URL;
    delete env.DATABASE_URL;
    process.stderr.write('starting the app…\n');
    app = await startApp(env);
    const all = await pagesFor(app, data);
    // The baseline is always measured: every figure is given against it.
    const pages = run.only.length === 0 ? all : all.filter((p, i) => i === 0 || run.only.some((word) => p.name.includes(word)));
    const results: Measured[] = [];
    for (const page of pages) {
      process.stderr.write(`measuring ${page.name}…\n`);
      results.push(await measure(app, page, requests));
    }
    const memory = await memoryOf(app.process);

    const baseline = results[0]!.p50;
    const rows = [
      ['page', 'URL', 'KB', 'n', 'p50 ms', 'p95 ms', 'max ms', 'status', 'p50 vs baseline', `p95 < ${TARGET_P95_MS} ms`],
      ...results.map((r, i) => [
        r.name,
        r.path.length > 60 ? `${r.path.slice(0, 57)}...` : r.path,
        (r.bytes / 1024).toFixed(1),
        String(r.n),
        ms(r.p50),
        ms(r.p95),
        ms(r.max),
        r.statuses,
        i === 0 ? '1.0×' : `${(r.p50 / baseline).toFixed(1)}×`,
        i === 0 ? '' : r.p95 < TARGET_P95_MS ? 'ok' : 'OVER',
      ]),
    ];
    const failed = results.filter((r) => r.statuses !== '200');
    const over = results.slice(1).filter((r) => r.p95 >= TARGET_P95_MS);
    console.log(
      [
        '',
        `Harbinger scale benchmark on ${kind}: ${articles.toLocaleString('en-GB')} articles, ${options.people} people, ${options.tags} tags, ` +
          `${options.readers} readers, ${options.bookmarks} bookmarks, ${options.subscribers} subscribers (generated in ${generatedIn.toFixed(0)} s)`,
        `Node ${process.version}, ${availableParallelism()} CPUs; render cache off, NODE_ENV=production; ` +
          `sequential requests on one kept-alive connection, ${WARMUP_REQUESTS} warm-up then up to ${requests} (or ${PAGE_TIME_CAP_MS / 1000} s) per page`,
        '',
        formatTable(rows, [2, 3, 4, 5, 6, 8]),
        '',
        `server memory after the run: RSS ${mb(memory.rss)} (peak ${mb(memory.maxRss)}), heap used ${mb(memory.heapUsed)} of ${mb(memory.heapTotal)}, ` +
          `external ${mb(memory.external)}; budget: peak RSS under ${MEMORY_BUDGET_MB} MB: ${memory.maxRss < MEMORY_BUDGET_MB * MB ? 'ok' : 'OVER'}`,
        `(the server runs through tsx, whose loader adds to the RSS a built server would not have)`,
        `budget p95 under ${TARGET_P95_MS} ms: ${over.length === 0 ? 'every page within' : `${over.length} of ${results.length - 1} pages over`}`,
        ...(failed.length > 0 ? [`FAILED (status other than 200): ${failed.map((r) => `${r.name} ${r.statuses}`).join('; ')}`] : []),
      ].join('\n'),
    );
    return failed.length === 0;
  } finally {
    if (app) await stopApp(app.process);
    if (schema && !run.keep) await admin(`drop schema ${schema} cascade`);
    dropOnSignal = null;
    await rm(dir, { recursive: true, force: true });
  }
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} takes a whole number from 1 upwards, not "${value}"`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'boolean' },
      db: { type: 'string', default: 'both' },
      articles: { type: 'string', default: '100000' },
      requests: { type: 'string', default: '100' },
      only: { type: 'string', default: '' },
      keep: { type: 'string' },
    },
    strict: true,
  });
  if (values.serve) {
    await serveApp();
    return -1; // keep serving
  }
  const known = { both: ['sqlite', 'postgres'], sqlite: ['sqlite'], postgres: ['postgres'] } as const;
  if (!Object.hasOwn(known, values.db)) throw new Error(`--db takes sqlite, postgres or both, not "${values.db}"`);
  const kinds = known[values.db as keyof typeof known];
  const articles = positiveInt('articles', values.articles);
  const requests = positiveInt('requests', values.requests);

  const onSignal = () => {
    for (const child of children) child.kill('SIGKILL');
    void (dropOnSignal?.() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let ok = true;
  const run: RunOptions = { only: values.only.split(',').filter(Boolean), keep: values.keep ? resolve(values.keep) : undefined };
  for (const kind of kinds) ok = (await runOn(kind, articles, requests, run)) && ok;
  return ok ? 0 : 1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(err);
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  },
);
