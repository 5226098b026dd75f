// Import benchmark: generates a WordPress export (WXR 1.2) of 20,000 posts in a
// temporary directory, imports it with `harbinger import wordpress` into a fresh
// SQLite database, and prints the time, posts per second and memory (peak RSS
// sampled during the run, and the heap after it) for 2,000 posts (the baseline)
// and 20,000, with the ratio: memory must stay flat as the file grows, since the
// file is streamed and the report written as it goes. Each size runs in a
// process of its own, so one does not inherit the other's heap.
// `npm run bench:import [-- --posts 20000 --baseline 2000]`.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatTable } from './lib.js';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '20000' },
    baseline: { type: 'string', default: '2000' },
    child: { type: 'string' },
  },
  strict: true,
});

const AUTHORS = 12;
const CATEGORIES = 15;
const TAGS = 60;
const WORDS = ['tide', 'harbour', 'council', 'students', 'library', 'garden', 'match', 'rehearsal', 'survey', 'bus', 'canteen', 'lab'];

function words(i: number, n: number): string {
  return Array.from({ length: n }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ');
}

const cdata = (text: string) => `<![CDATA[${text}]]>`;

/** Writes an export of `posts` posts (every tenth a block post, every fiftieth a draft) and returns its size in bytes. */
async function generate(path: string, posts: number): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench Gazette</title><link>https://bench.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example</wp:base_site_url><wp:base_blog_url>https://bench.example</wp:base_blog_url>
`);
  for (let a = 0; a < AUTHORS; a++)
    await write(
      `<wp:author><wp:author_login>${cdata(`writer${a}`)}</wp:author_login><wp:author_email>${cdata(`writer${a}@bench.example`)}</wp:author_email><wp:author_display_name>${cdata(`Writer Number ${a}`)}</wp:author_display_name></wp:author>\n`,
    );
  for (let c = 0; c < CATEGORIES; c++)
    await write(
      `<wp:category><wp:term_id>${c + 1}</wp:term_id><wp:category_nicename>${cdata(`desk-${c}`)}</wp:category_nicename><wp:category_parent>${cdata('')}</wp:category_parent><wp:cat_name>${cdata(`Desk ${c}`)}</wp:cat_name></wp:category>\n`,
    );
  for (let i = 0; i < posts; i++) {
    const date = new Date(Date.UTC(2012, 0, 1) + i * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const slug = `bench-post-${i}`;
    const body =
      i % 10 === 0
        ? `<!-- wp:paragraph --><p>${words(i, 40)}</p><!-- /wp:paragraph -->\n<!-- wp:heading --><h2>${words(i + 1, 4)}</h2><!-- /wp:heading -->\n<!-- wp:list --><ul><li>${words(i, 5)}</li><li>${words(i + 2, 5)}</li></ul><!-- /wp:list -->\n<!-- wp:paragraph --><p>${words(i + 3, 60)}</p><!-- /wp:paragraph -->`
        : `${words(i, 50)}\n\n<h2>${words(i + 1, 4)}</h2>\n${words(i + 2, 70)} <a href="https://bench.example/${date.slice(0, 4)}/older-${i}/">an older story</a>.\n\n<strong>${words(i + 3, 6)}</strong> ${words(i + 4, 80)}`;
    const status = i % 50 === 7 ? 'draft' : 'publish';
    await write(`<item><title>${cdata(`${words(i, 6)} ${i}`)}</title><link>https://bench.example/${date.slice(0, 4)}/${date.slice(5, 7)}/${slug}/</link>
<dc:creator>${cdata(`writer${i % AUTHORS}`)}</dc:creator><content:encoded>${cdata(body)}</content:encoded><excerpt:encoded>${cdata(words(i + 5, 20))}</excerpt:encoded>
<wp:post_id>${1000 + i}</wp:post_id><wp:post_date>${cdata(date)}</wp:post_date><wp:post_date_gmt>${cdata(date)}</wp:post_date_gmt>
<wp:post_name>${cdata(slug)}</wp:post_name><wp:status>${cdata(status)}</wp:status><wp:post_type>${cdata('post')}</wp:post_type><wp:is_sticky>0</wp:is_sticky>
<category domain="category" nicename="desk-${i % CATEGORIES}">${cdata(`Desk ${i % CATEGORIES}`)}</category>
<category domain="post_tag" nicename="topic-${i % TAGS}">${cdata(`Topic ${i % TAGS}`)}</category>
<category domain="post_tag" nicename="topic-${(i * 7) % TAGS}">${cdata(`Topic ${(i * 7) % TAGS}`)}</category>
<wp:comment><wp:comment_id>${i}</wp:comment_id><wp:comment_content>${cdata('Nice one.')}</wp:comment_content></wp:comment>
</item>\n`);
  }
  await write('</channel>\n</rss>\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return (await stat(path)).size;
}

interface Measured {
  posts: number;
  seconds: number;
  peakRss: number;
  heapAfter: number;
  created: number;
}

/** In the child: imports the file into a fresh database and prints what it measured as JSON. */
async function child(file: string, dir: string): Promise<void> {
  const { loadConfig } = await import('../src/config.js');
  const { importCommand } = await import('../src/modules/imports/index.js');
  const config = loadConfig(
    { NODE_ENV: 'production', DATA_DIR: dir, LOG_LEVEL: 'silent', SITE_URL: 'http://bench.test', SEED_DEMO: 'false' },
    { database: { kind: 'sqlite', file: join(dir, 'bench.sqlite') } },
  );
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  let summary = '';
  const started = performance.now();
  const code = await importCommand('wordpress', [file], { report: join(dir, 'report.json') }, config, {
    out: (line) => (summary += `${line}\n`),
    err: () => undefined,
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  (globalThis as { gc?: () => void }).gc?.();
  if (code !== 0) throw new Error(`The import failed:\n${summary}`);
  const created = Number(/article: (\d+) created/.exec(summary)?.[1] ?? 0);
  process.stdout.write(`${JSON.stringify({ seconds, peakRss, heapAfter: process.memoryUsage().heapUsed, created })}\n`);
}

function runChild(file: string, dir: string, posts: number): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--child', file], {
      env: { ...process.env, BENCH_DIR: dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`The ${posts}-post import exited with ${code}`));
      const line = out.trim().split('\n').pop()!;
      resolve({ posts, ...(JSON.parse(line) as Omit<Measured, 'posts'>) });
    });
  });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  if (values.child) return child(values.child, process.env.BENCH_DIR!);
  const sizes = [Number(values.baseline), Number(values.posts)];
  const root = await mkdtemp(join(tmpdir(), 'harbinger-bench-import-'));
  try {
    const results: Measured[] = [];
    for (const posts of sizes) {
      const dir = join(root, String(posts));
      const file = join(root, `export-${posts}.xml`);
      const bytes = await generate(file, posts);
      console.log(`Generated ${posts.toLocaleString('en-GB')} posts (${mb(bytes)}); importing…`);
      await mkdir(dir, { recursive: true });
      const measured = await runChild(file, dir, posts);
      if (measured.created !== posts) throw new Error(`Only ${measured.created} of ${posts} posts became articles.`);
      results.push(measured);
    }
    console.log(
      `\n${formatTable(
        [
          ['posts', 'time', 'posts/s', 'peak RSS', 'heap after'],
          ...results.map((r) => [
            r.posts.toLocaleString('en-GB'),
            `${r.seconds.toFixed(1)} s`,
            (r.posts / r.seconds).toFixed(0),
            mb(r.peakRss),
            mb(r.heapAfter),
          ]),
        ],
        [0, 1, 2, 3, 4],
      )}`,
    );
    const [base, big] = results as [Measured, Measured];
    console.log(
      `\n${big.posts / base.posts}× the posts: ${(big.peakRss / base.peakRss).toFixed(2)}× the peak RSS, ${(big.heapAfter / base.heapAfter).toFixed(2)}× the heap after, ${(big.seconds / base.seconds).toFixed(1)}× the time.`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
