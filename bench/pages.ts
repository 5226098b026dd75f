// Page benchmark: how many article and home pages per second the app serves (the
// article both anonymously and to a signed-in reader), next to a bare node:http
// server sending the same article bytes, plus page weight and budgets. `npm run bench [-- --duration N --connections N --only a,b]`.
//
// The app and the baseline each run in a child process (this file again, with
// --serve or --baseline), so autocannon gets this process's event loop to itself;
// on a two-core machine a shared loop would measure the load generator as much as
// the server. The bench reports budgets but does not assert them: it exits 0 once
// it has printed, and non-zero only when a server fails to start or a request fails.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import {
  announceReady,
  countWords,
  formatKb,
  formatTable,
  gzipSize,
  innerHtmlByClass,
  KB,
  killAllChildrenNow,
  onParentGone,
  referencedAssets,
  runAutocannon,
  spawnChild,
  stopAllChildren,
  type Child,
  type LoadResult,
} from './lib.js';

/**
 * One page to load-test. `server` defaults to the app; headers go with every request.
 * `signedIn` targets also send the session cookie of the reader the app child creates.
 */
export interface Target {
  name: string;
  path: string;
  headers?: Record<string, string>;
  server?: 'app' | 'baseline';
  signedIn?: boolean;
}

const WARMUP_SECONDS = 2;
/** The first start renders the demo pictures into the shared media directory, which takes a while. */
const READY_TIMEOUT_MS = 180_000;
/** Pictures survive between runs; the media service skips files already present. */
const MEDIA_DIR = join(tmpdir(), 'harbinger-bench-media');
const SELF = fileURLToPath(import.meta.url);
/** The header's account link, shown to signed-in visitors only: proves a `signedIn` target's session took. */
const SIGNED_IN_MARKER = 'href="/account"';

const BUDGETS = {
  /** The article page's req/s as a share of the baseline's. */
  articleShareOfBaseline: 0.25,
  htmlGzip: 20 * KB,
  jsGzip: 3 * KB,
  cssGzip: 12 * KB,
};

function targetsFor(articlePath: string): Target[] {
  return [
    { name: 'baseline', path: '/', server: 'baseline' },
    { name: 'article', path: articlePath },
    { name: 'reader', path: articlePath, signedIn: true },
    { name: 'home', path: '/' },
  ];
}

// ---------------------------------------------------------------------------
// Child modes
// ---------------------------------------------------------------------------

/** --serve: the app on a fresh database (DATA_DIR from the parent) with the demo loaded. */
async function serveApp(): Promise<void> {
  // Imported here so the parent and the baseline child never load the app.
  const { loadConfig } = await import('../src/config.js');
  const { closeOnSignals, startServer } = await import('../src/server.js');
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    // The pages measured are the demo's; production leaves the demo out unless asked.
    SEED_DEMO: 'true',
  });
  const server = await startServer(config);
  closeOnSignals(server);
  onParentGone(() => void server.close().finally(() => process.exit(0)));
  const readerCookie = await createReaderSession(server.app);
  // With PORT 0 the server's own url names port 0: ask the socket instead.
  const address = server.app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the app is not listening on a TCP port');
  announceReady({ port: address.port, readerCookie });
}

/**
 * A verified reader account, written straight into the database (sign-up would
 * need the mailer), and a persistent session for it. Returns the `Cookie` header value:
 * the session and the CSRF secret cookie the first page sets.
 */
async function createReaderSession(app: FastifyInstance): Promise<string> {
  const { newId } = await import('../src/lib/ids.js');
  const { SESSION_COOKIE } = await import('../src/web/viewer.js');
  const now = new Date().toISOString();
  const userId = newId();
  await app.db
    .insertInto('users')
    .values({
      id: userId,
      email: 'bench-reader@harbinger.localhost',
      email_verified_at: now,
      password_hash: null,
      display_name: 'Bench Reader',
      birth_year: 2008,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const { token } = await app.accounts.createSession(userId, true);
  const session = `${SESSION_COOKIE}=${token}`;
  // A browser keeps the CSRF secret cookie its first page set and sends it back; without it every
  // request would make and sign a new secret, which a real reader's requests do not.
  const first = await app.inject({ url: '/', headers: { cookie: session } });
  const setCookie = first.headers['set-cookie'];
  const csrf = (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [])
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('hb_csrf='));
  if (!csrf) throw new Error('the first signed-in page set no CSRF cookie');
  return `${session}; ${csrf}`;
}

/** --baseline FILE --content-type TYPE: the same bytes from memory, no framework. */
async function serveBaseline(file: string, contentType: string): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const { createServer } = await import('node:http');
  const body = await readFile(file);
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onParentGone(() => process.exit(0));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the baseline is not listening on a TCP port');
  announceReady({ port: address.port });
}

// ---------------------------------------------------------------------------
// Parent
// ---------------------------------------------------------------------------

interface Options {
  duration: number;
  connections: number;
  only: string[] | null;
}

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} takes a whole number from 1 upwards, not "${value}"`);
  return n;
}

/** Fetches a URL in full; anything but a 2xx is an error. Identity encoding: we want the bytes as sent to autocannon. */
async function fetchBytes(url: string, headers: Record<string, string> = {}): Promise<{ body: Buffer; contentType: string }> {
  const response = await fetch(url, { headers: { 'accept-encoding': 'identity', ...headers }, redirect: 'manual' });
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return { body, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
}

/** Raw and gzip bytes of a set of assets, fetched from the app. */
interface AssetWeight {
  raw: number;
  gzip: number;
  /** Files that came back empty. */
  empty: string[];
}

async function assetWeight(origin: string, paths: string[]): Promise<AssetWeight> {
  let raw = 0;
  let gzip = 0;
  const empty: string[] = [];
  for (const path of paths) {
    const { body } = await fetchBytes(new URL(path, origin).href);
    raw += body.length;
    gzip += gzipSize(body);
    // An empty file passes every size budget, so say so rather than report a silent "ok".
    if (body.length === 0) empty.push(path);
  }
  return { raw, gzip, empty };
}

async function measure(name: string, url: string, options: Options, headers: Record<string, string> | undefined): Promise<LoadResult> {
  process.stderr.write(`measuring ${name}: ${WARMUP_SECONDS} s warm-up, then ${options.duration} s…\n`);
  // The warm-up fills the render cache, lets V8 optimise the hot path and opens the connections; it is discarded.
  await runAutocannon(url, { connections: options.connections, duration: WARMUP_SECONDS, headers });
  return runAutocannon(url, { connections: options.connections, duration: options.duration, headers });
}

/** The run's temporary DATA_DIR, removed by `cleanUp` however the run ends. */
let dataDir: string | null = null;

/** Stops the servers (they hold the database open), then removes their data. */
async function cleanUp(): Promise<void> {
  await stopAllChildren();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = null;
}

interface ReportData {
  options: Options;
  articlePath: string;
  words: number;
  targets: Target[];
  responseBytes: Map<string, number>;
  results: Map<string, LoadResult>;
  html: Buffer;
  assets: { css: string[]; js: string[] };
  css: AssetWeight;
  js: AssetWeight;
}

const ok = (pass: boolean) => (pass ? 'ok' : 'OVER');
const ms = (value: number) => (value < 1 ? '<1' : value.toFixed(0));

function formatReport(r: ReportData): string {
  const baselineRps = r.results.get('baseline')?.rps;
  const articleRps = r.results.get('article')?.rps;
  const ratio = (rps: number) => (baselineRps ? `${(rps / baselineRps).toFixed(2)}× baseline` : '–');
  const articleShare = baselineRps && articleRps !== undefined ? articleRps / baselineRps : undefined;
  const htmlGzip = gzipSize(r.html);
  const empty = [...r.css.empty, ...r.js.empty];

  const load = formatTable(
    [
      ['target', 'path', 'response', 'req/s (mean)', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'vs baseline'],
      ...r.targets.map((target) => {
        const result = r.results.get(target.name)!;
        return [
          target.name,
          target.path,
          formatKb(r.responseBytes.get(target.name)!),
          Math.round(result.rps).toLocaleString('en-GB'),
          ms(result.p50),
          ms(result.p99),
          String(result.errors),
          String(result.non2xx),
          ratio(result.rps),
        ];
      }),
    ],
    [2, 3, 4, 5, 6, 7],
  );
  const weight = formatTable(
    [
      ['', 'files', 'raw', 'gzip'],
      ['article HTML', '1', formatKb(r.html.length), formatKb(htmlGzip)],
      ['CSS', String(r.assets.css.length), formatKb(r.css.raw), formatKb(r.css.gzip)],
      ['JS', String(r.assets.js.length), formatKb(r.js.raw), formatKb(r.js.gzip)],
    ],
    [1, 2, 3],
  );
  const budgets = formatTable(
    [
      [
        `article req/s ≥ ${BUDGETS.articleShareOfBaseline * 100}% of baseline`,
        articleShare === undefined ? 'not measured' : `${(articleShare * 100).toFixed(0)}%`,
        articleShare === undefined ? '–' : ok(articleShare >= BUDGETS.articleShareOfBaseline),
      ],
      [`article HTML ≤ ${BUDGETS.htmlGzip / KB} KB gzip`, formatKb(htmlGzip), ok(htmlGzip <= BUDGETS.htmlGzip)],
      [`JS ≤ ${BUDGETS.jsGzip / KB} KB gzip`, formatKb(r.js.gzip), ok(r.js.gzip <= BUDGETS.jsGzip)],
      [`CSS ≤ ${BUDGETS.cssGzip / KB} KB gzip`, formatKb(r.css.gzip), ok(r.css.gzip <= BUDGETS.cssGzip)],
    ],
    [1],
  );
  const indent = (text: string) => text.replace(/^/gm, '  ');

  return [
    '',
    `Harbinger page benchmark: ${r.options.connections} connections, ${r.options.duration} s per target after a ${WARMUP_SECONDS} s warm-up`,
    `Node ${process.version}, ${availableParallelism()} CPUs; app and baseline each in their own process`,
    `Article: ${r.articlePath} (${r.words.toLocaleString('en-GB')} words in .article__body)`,
    ...(r.targets.some((t) => t.signedIn)
      ? ["reader = the same article with a verified reader's session cookie (signed-in header, per-request fill)"]
      : []),
    '',
    load,
    '(latency in whole milliseconds as autocannon records it, <1 = under a millisecond; response = uncompressed body)',
    '',
    'Page weight (1 KB = 1024 bytes; gzip = zlib level 6)',
    indent(weight),
    `  CSS: ${r.assets.css.join(', ') || 'none'}`,
    `  JS:  ${r.assets.js.join(', ') || 'none'}`,
    ...(empty.length > 0 ? [`  warning: empty file(s), which pass any size budget: ${empty.join(', ')}`] : []),
    '',
    'Budgets (reported, not enforced)',
    indent(budgets),
  ].join('\n');
}

async function bench(options: Options): Promise<number> {
  const { articles } = await import('../src/demo/content.js');
  const slug = articles[0]?.slug;
  if (!slug) throw new Error('the demo content has no articles');
  const articlePath = `/articles/${slug}`;

  const allTargets = targetsFor(articlePath);
  const unknown = (options.only ?? []).filter((name) => !allTargets.some((t) => t.name === name));
  if (unknown.length > 0) throw new Error(`unknown target(s) ${unknown.join(', ')}; known: ${allTargets.map((t) => t.name).join(', ')}`);
  const only = options.only;
  const selected = only ? allTargets.filter((t) => only.includes(t.name)) : allTargets;

  const dir = (dataDir = await mkdtemp(join(tmpdir(), 'harbinger-bench-')));
  try {
    process.stderr.write(`starting the app (DATA_DIR ${dir}, MEDIA_DIR ${MEDIA_DIR})…\n`);
    const app = await spawnChild('app', SELF, ['--serve'], {
      env: { ...process.env, DATA_DIR: dir, MEDIA_DIR },
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
    const appOrigin = `http://127.0.0.1:${app.port}`;
    const { readerCookie } = app;
    if (selected.some((t) => t.signedIn) && !readerCookie) throw new Error('the app announced no reader session cookie');
    const targets = selected.map((t) => (t.signedIn ? { ...t, headers: { ...t.headers, cookie: readerCookie! } } : t));

    const article = await fetchBytes(appOrigin + articlePath);
    const html = article.body.toString('utf8');
    // Otherwise the signed-in check below would pass for a session the app ignored.
    if (targets.some((t) => t.signedIn) && html.includes(SIGNED_IN_MARKER)) {
      throw new Error(`the anonymous ${articlePath} already contains ${SIGNED_IN_MARKER}: it cannot tell a signed-in page apart`);
    }
    const bodyHtml = innerHtmlByClass(html, 'article__body');
    if (bodyHtml === undefined) throw new Error(`${articlePath} has no .article__body element`);
    const assets = referencedAssets(html);
    const css = await assetWeight(appOrigin, assets.css);
    const js = await assetWeight(appOrigin, assets.js);

    let baseline: Child | null = null;
    if (targets.some((t) => t.server === 'baseline')) {
      const file = join(dir, 'baseline.html');
      await writeFile(file, article.body);
      baseline = await spawnChild('baseline', SELF, ['--baseline', file, '--content-type', article.contentType], {
        readyTimeoutMs: 30_000,
      });
    }
    const originOf = (target: Target) => `http://127.0.0.1:${target.server === 'baseline' ? baseline!.port : app.port}`;

    // One plain request per target first: a redirect or a 404 would otherwise be benchmarked
    // silently, and so would a session the app did not accept (an anonymous page).
    // Its size also explains the ratios (a lighter page is cheaper to send).
    const responseBytes = new Map<string, number>();
    for (const target of targets) {
      const { body } = await fetchBytes(originOf(target) + target.path, target.headers);
      if (target.signedIn && !body.toString('utf8').includes(SIGNED_IN_MARKER)) {
        throw new Error(`${target.name}: ${target.path} with the reader's session cookie has no ${SIGNED_IN_MARKER}: not signed in`);
      }
      responseBytes.set(target.name, body.length);
    }

    const results = new Map<string, LoadResult>();
    for (const target of targets)
      results.set(target.name, await measure(target.name, originOf(target) + target.path, options, target.headers));

    console.log(
      formatReport({
        options,
        articlePath,
        words: countWords(bodyHtml),
        targets,
        responseBytes,
        results,
        html: article.body,
        assets,
        css,
        js,
      }),
    );

    const failed = targets.filter((t) => {
      const r = results.get(t.name)!;
      return r.errors > 0 || r.non2xx > 0;
    });
    if (failed.length > 0) {
      console.error(`\nRequests failed under load for: ${failed.map((t) => t.name).join(', ')}`);
      return 1;
    }
    return 0;
  } finally {
    await cleanUp();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'boolean' },
      baseline: { type: 'string' },
      'content-type': { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
    },
  });
  if (values.serve) {
    await serveApp();
    return -1; // keep serving
  }
  if (values.baseline !== undefined) {
    await serveBaseline(values.baseline, values['content-type'] ?? 'text/html; charset=utf-8');
    return -1;
  }

  // Children die with us whatever the ending: signals, errors, or a plain exit.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping the servers`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', killAllChildrenNow);

  return bench({
    duration: positiveInt('duration', values.duration, 10),
    connections: positiveInt('connections', values.connections, 10),
    only: values.only
      ? values.only
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
  });
}

main().then(
  (code) => {
    // Exit explicitly: a finished autocannon run can leave sockets that would keep us alive.
    if (code >= 0) process.exit(code);
  },
  async (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
    await cleanUp();
    process.exit(1);
  },
);
