// Search benchmark: /search at 100,000 published articles, rendered by the app
// with the render cache off, for a common word (in half the articles), a rare
// word (in ten), a phrase and a signed-in reader's full-text search, on SQLite or
// on the PostgreSQL database DATABASE_URL names (a schema of its own, dropped
// after). The articles are generated here, straight into the search index,
// through the repository the app writes it with. Target: p95 under 50 ms.
// `npm run bench:search [-- --articles N --requests N]`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { formatTable } from './lib.js';

const TARGET_P95_MS = 50;
const { values } = parseArgs({
  options: { articles: { type: 'string', default: '100000' }, requests: { type: 'string', default: '200' } },
  strict: true,
});

/** A deterministic pseudo-random stream, so every run indexes the same text. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ne', 'to', 'su', 'vi', 'da', 'pe', 'go', 'ri', 'ba', 'ze', 'fu', 'no'];

function vocabulary(size: number, next: () => number): string[] {
  return Array.from({ length: size }, () =>
    Array.from({ length: 2 + Math.floor(next() * 3) }, () => SYLLABLES[Math.floor(next() * SYLLABLES.length)]).join(''),
  );
}

function sentence(words: string[], next: () => number, length: number): string {
  return Array.from({ length }, () => words[Math.floor(next() * words.length)]).join(' ');
}

/** The i-th generated article: "city" in every other one, "zephyrine" in one in ten thousand, every third registered. */
function generated(i: number, words: string[], next: () => number) {
  const extra = [i % 2 === 0 ? 'city' : '', i % 10_000 === 7 ? 'zephyrine' : ''].join(' ');
  const registered = i % 3 === 0;
  const body = `${sentence(words, next, 120)} ${extra} ${sentence(words, next, 120)}`;
  const publishedAt = new Date(Date.UTC(2015, 0, 1) + i * 3_600_000).toISOString();
  return {
    id: `article:bench-${i}`,
    kind: 'article' as const,
    slug: `bench-${i}`,
    title: sentence(words, next, 6),
    dek: sentence(words, next, 18),
    people: 'Bench Writer',
    tags: sentence(words, next, 2),
    section: 'Society',
    public_body: registered ? body.slice(0, 400) : body,
    gated_body: registered ? body.slice(400) : '',
    section_slug: 'society',
    author_slugs: 'bench-writer',
    year: Number(publishedAt.slice(0, 4)),
    published_at: publishedAt,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<number> {
  const count = Number(values.articles);
  const requests = Number(values.requests);
  const { loadConfig } = await import('../src/config.js');
  const { openDatabase } = await import('../src/db/database.js');
  const { migrateToLatest } = await import('../src/db/migrate.js');
  const { buildApp } = await import('../src/app.js');
  const { putDocument } = await import('../src/modules/search/search.repository.js');
  const pg = (await import('pg')).default;

  const dir = await mkdtemp(join(tmpdir(), 'harbinger-bench-search-'));
  const pgUrl = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL! : null;
  const schema = pgUrl ? `bench_${randomBytes(6).toString('hex')}` : undefined;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: pgUrl!, user: new URL(pgUrl!).username || 'postgres' });
    await client.connect();
    await client.query(query);
    await client.end();
  };
  if (pgUrl) await admin(`create schema ${schema}`);
  const config = loadConfig(
    { NODE_ENV: 'production', DATA_DIR: dir, LOG_LEVEL: 'warn', SITE_URL: 'https://harbinger.example', RENDER_CACHE_ENTRIES: '0' },
    { database: pgUrl ? { kind: 'postgres', url: pgUrl, schema } : { kind: 'sqlite', file: join(dir, 'harbinger.db') } },
  );
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db, schema);
    process.stderr.write(`indexing ${count} generated articles on ${config.database.kind}…\n`);
    const next = random(42);
    const words = vocabulary(5000, next);
    for (let start = 0; start < count; start += 1000) {
      await database.db.transaction().execute(async (trx) => {
        for (let i = start; i < Math.min(count, start + 1000); i += 1) await putDocument(trx, generated(i, words, next));
      });
    }
    if (pgUrl) await admin(`analyze ${schema}.search_documents`);
    const app = await buildApp({ config, database, logger: false });
    const rows = [['query', 'viewer', 'p50 ms', 'p95 ms', 'status']];
    let over = false;
    for (const [label, q, fullText] of [
      ['common word', 'city', false],
      ['rare word', 'zephyrine', false],
      ['phrase', `"${words[1]} ${words[2]}"`, false],
      ['common word, full text', 'city', true],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < requests; i += 1) {
        const started = performance.now();
        const res = fullText
          ? await app.siteSearch.search(q, { section: '', author: '', year: '' }, 1, true)
          : await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent(q)}` });
        times.push(performance.now() - started);
        if ('statusCode' in res && res.statusCode !== 200) throw new Error(`/search?q=${q} answered ${res.statusCode}`);
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      over ||= p95 > TARGET_P95_MS;
      rows.push([
        label,
        fullText ? 'reader (service)' : 'visitor',
        percentile(times, 50).toFixed(1),
        p95.toFixed(1),
        p95 > TARGET_P95_MS ? 'OVER' : 'ok',
      ]);
    }
    console.log(formatTable(rows, [2, 3]));
    console.log(`\n${count} articles on ${config.database.kind}; target p95 under ${TARGET_P95_MS} ms${over ? ': MISSED' : ''}.`);
    await app.close();
  } finally {
    await database.close();
    if (pgUrl) await admin(`drop schema ${schema} cascade`);
    await rm(dir, { recursive: true, force: true });
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
