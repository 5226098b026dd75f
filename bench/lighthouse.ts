// Lighthouse benchmark: the mobile Lighthouse scores of the article page and the
// home page, next to a baseline (a near-empty page served by a bare node:http
// server and audited the same way), so a figure can be read against how busy the
// machine was during the run. `npm run bench:lighthouse [-- --runs N]`.
//
// Lighthouse is not a dependency of the project. Install it outside the checkout
// (`npm install --prefix /tmp/lh lighthouse`) or point LIGHTHOUSE_BIN at its CLI;
// CHROME_PATH names the browser (default /usr/bin/chromium). Without either, the
// bench says how to get them and exits 2.
//
// Each page is audited --runs times (3 by default), the pages taking turns so a
// burst of load elsewhere hits them alike, and the median of each figure is
// printed. Lighthouse's mobile preset simulates a slow phone: main-thread times
// are the observed ones (CPU slowdown applied), so on a shared machine they move
// with the load; the baseline's main-thread time moves with it, which is what the
// ratio column is for. Then each page is loaded a few more times in the same
// browser, traced, for two figures that do not move with the load: the main
// thread's CPU time (thread clock) and the number of system font look-ups (each
// of which the page waits on before its first paint). The bench reports; it
// asserts nothing and exits 0 once it has printed, 1 when a server fails to
// start or an audit fails to run.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { announceReady, formatTable, killAllChildrenNow, onParentGone, spawnChild, stopAllChildren } from './lib.js';

const SELF = fileURLToPath(import.meta.url);
const DEFAULT_LIGHTHOUSE = '/tmp/lh/node_modules/.bin/lighthouse';
const DEFAULT_CHROME = '/usr/bin/chromium';
/** The first start renders the demo pictures into the shared media directory, which takes a while. */
const READY_TIMEOUT_MS = 180_000;
/** Shared with the page benchmark: pictures survive between runs. */
const MEDIA_DIR = join(tmpdir(), 'harbinger-bench-media');
/** One audit on a busy two-core machine takes 20 to 60 s. */
const AUDIT_TIMEOUT_MS = 180_000;
const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
].join(' ');
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
/** Metrics read from each report: audit id and the label printed. */
const METRICS = [
  ['first-contentful-paint', 'FCP ms'],
  ['largest-contentful-paint', 'LCP ms'],
  ['total-blocking-time', 'TBT ms'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'SI ms'],
] as const;

/** A near-empty page with the head every page has: what a browser spends on nothing. */
const BASELINE_HTML = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Baseline</title><meta name="description" content="An empty page, audited to measure the machine."></head><body><main><h1>Baseline</h1><p>An empty page.</p></main></body></html>`;

// ---------------------------------------------------------------------------
// The parts of a Lighthouse report read here
// ---------------------------------------------------------------------------

interface Audit {
  score: number | null;
  scoreDisplayMode: string;
  numericValue?: number;
  displayValue?: string;
  title: string;
  details?: { items?: Record<string, unknown>[] };
}

interface Report {
  lighthouseVersion: string;
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, Audit>;
  runtimeError?: { code: string; message: string };
}

interface RunFigures {
  scores: Record<string, number>;
  metrics: Record<string, number>;
  mainThreadMs: number;
  groups: Record<string, number>;
  longTasks: number;
  longTasksMs: number;
  bytes: number;
  /** Audits of any category that did not pass: "category: id (display value)". */
  failing: string[];
}

function figuresOf(report: Report): RunFigures {
  if (report.runtimeError) throw new Error(`Lighthouse: ${report.runtimeError.code} ${report.runtimeError.message}`);
  const scores: Record<string, number> = {};
  for (const category of CATEGORIES) scores[category] = Math.round((report.categories[category]?.score ?? 0) * 100);
  const metrics: Record<string, number> = {};
  for (const [id] of METRICS) metrics[id] = report.audits[id]?.numericValue ?? NaN;
  const breakdown = report.audits['mainthread-work-breakdown'];
  const groups: Record<string, number> = {};
  for (const item of breakdown?.details?.items ?? []) groups[String(item.group)] = Number(item.duration);
  const tasks = report.audits['long-tasks']?.details?.items ?? [];
  const failing: string[] = [];
  for (const category of CATEGORIES) {
    for (const ref of report.categories[category]?.auditRefs ?? []) {
      const audit = report.audits[ref.id];
      if (!audit || audit.score === null || audit.score >= 1) continue;
      if (!['binary', 'numeric', 'metricSavings'].includes(audit.scoreDisplayMode)) continue;
      failing.push(`${category}: ${ref.id}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
    }
  }
  return {
    scores,
    metrics,
    mainThreadMs: breakdown?.numericValue ?? NaN,
    groups,
    longTasks: tasks.length,
    longTasksMs: tasks.reduce((sum, task) => sum + Number(task.duration), 0),
    bytes: report.audits['total-byte-weight']?.numericValue ?? NaN,
    failing,
  };
}

function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// ---------------------------------------------------------------------------
// Servers (children)
// ---------------------------------------------------------------------------

/** --serve: the compiled-from-source app on a fresh database with the demo loaded. */
async function serveApp(): Promise<void> {
  const { loadConfig } = await import('../src/config.js');
  const { closeOnSignals, startServer } = await import('../src/server.js');
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', SEED_DEMO: 'true' });
  const server = await startServer(config);
  closeOnSignals(server);
  onParentGone(() => void server.close().finally(() => process.exit(0)));
  const address = server.app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the app is not listening on a TCP port');
  announceReady({ port: address.port });
}

/** --baseline: the near-empty page from memory. */
async function serveBaseline(): Promise<void> {
  const { createServer } = await import('node:http');
  const page = Buffer.from(BASELINE_HTML);
  // A robots.txt too, as the app has, so the baseline's SEO score is not docked for its absence.
  const robots = Buffer.from('User-agent: *\nAllow: /\n');
  const server = createServer((request, response) => {
    const [body, type] = request.url === '/robots.txt' ? [robots, 'text/plain; charset=utf-8'] : [page, 'text/html; charset=utf-8'];
    response.writeHead(200, { 'content-type': type, 'content-length': body.length });
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

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function audit(lighthouse: string, chrome: string, url: string, outputPath: string): Promise<void> {
  const args = [url, '--form-factor=mobile', `--chrome-flags=${CHROME_FLAGS}`, '--output=json', `--output-path=${outputPath}`, '--quiet'];
  return new Promise((resolve, reject) => {
    execFile(lighthouse, args, { env: { ...process.env, CHROME_PATH: chrome }, timeout: AUDIT_TIMEOUT_MS }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`lighthouse ${url} failed: ${err.message}\n${stderr}`));
      else resolve();
    });
  });
}

// ---------------------------------------------------------------------------
// Traced loads: figures that do not move with the machine's load
// ---------------------------------------------------------------------------

/** The parts of puppeteer-core (which Lighthouse installs beside itself) used here. */
interface Puppeteer {
  launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<{
    newPage(): Promise<TracedPage>;
    close(): Promise<void>;
  }>;
}
interface TracedPage {
  setViewport(viewport: { width: number; height: number; deviceScaleFactor: number; isMobile: boolean; hasTouch: boolean }): Promise<void>;
  setCacheEnabled(enabled: boolean): Promise<void>;
  tracing: { start(options: { categories: string[] }): Promise<void>; stop(): Promise<Uint8Array | undefined> };
  goto(url: string, options: { waitUntil: 'networkidle0' }): Promise<unknown>;
  close(): Promise<void>;
}
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

interface TraceFigures {
  /** CPU time of the page's main thread over the load (thread clock): what the page costs, however busy the machine. */
  cpuMs: number;
  /** Wall time of the same tasks: CPU time plus waiting (for the system's fonts, for a core). */
  wallMs: number;
  /** Font look-ups made before the page settles (each may wait on the browser process). */
  fontLookups: number;
}

/** puppeteer-core from Lighthouse's own node_modules, or null when it is not there. */
async function loadPuppeteer(lighthouse: string): Promise<Puppeteer | null> {
  const entry = join(dirname(dirname(lighthouse)), 'puppeteer-core', 'lib', 'esm', 'puppeteer', 'puppeteer-core.js');
  if (!(await readable(entry))) return null;
  const module = (await import(pathToFileURL(entry).href)) as { default: Puppeteer };
  return module.default;
}

/** Loads each URL `runs` times in the Lighthouse phone's viewport, traced, and returns the median figures of each. */
async function traceLoads(puppeteer: Puppeteer, chrome: string, urls: string[], runs: number): Promise<TraceFigures[]> {
  const browser = await puppeteer.launch({ executablePath: chrome, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const samples = urls.map(() => [] as TraceFigures[]);
    for (let i = 0; i < runs; i++) {
      for (const [n, url] of urls.entries()) {
        const page = await browser.newPage();
        await page.setViewport({ width: 412, height: 823, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
        await page.setCacheEnabled(false);
        await page.tracing.start({ categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'fonts'] });
        await page.goto(url, { waitUntil: 'networkidle0' });
        const trace = await page.tracing.stop();
        await page.close();
        const { traceEvents } = JSON.parse(Buffer.from(trace ?? []).toString('utf8')) as { traceEvents: TraceEvent[] };
        samples[n]!.push(traceFiguresOf(traceEvents));
      }
    }
    return samples.map((s) => ({
      cpuMs: median(s.map((f) => f.cpuMs)),
      wallMs: median(s.map((f) => f.wallMs)),
      fontLookups: median(s.map((f) => f.fontLookups)),
    }));
  } finally {
    await browser.close();
  }
}

function traceFiguresOf(events: TraceEvent[]): TraceFigures {
  // The page's main thread: the thread that spent longest laying out (a new tab's
  // blank page is laid out too, on another renderer).
  const layoutTime = new Map<string, number>();
  for (const e of events) {
    if (e.name === 'Layout' && e.ph === 'X') layoutTime.set(`${e.pid}:${e.tid}`, (layoutTime.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
  }
  const main = [...layoutTime].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) throw new Error('the trace has no layout: the page did not render');
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X');
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  return {
    cpuMs: tasks.reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000,
    wallMs: tasks.reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000,
    fontLookups: onMain.filter((e) => e.name === 'FontCache::GetFontPlatformData').length,
  };
}

const fmt = (n: number, digits = 0) => (Number.isNaN(n) ? '–' : n.toFixed(digits));

function report(
  pages: { name: string; path: string; runs: RunFigures[] }[],
  version: string,
  runs: number,
  traced: TraceFigures[] | null,
): string {
  const baseline = pages.find((p) => p.name === 'baseline')!;
  const baseMain = median(baseline.runs.map((r) => r.mainThreadMs));
  const scoreRows = [['page', ...CATEGORIES, ...METRICS.map(([, label]) => label), 'main thread ms', '× baseline', 'long tasks', 'KB']];
  for (const page of pages) {
    const main = median(page.runs.map((r) => r.mainThreadMs));
    scoreRows.push([
      page.name,
      ...CATEGORIES.map((c) => fmt(median(page.runs.map((r) => r.scores[c]!)))),
      ...METRICS.map(([id]) => fmt(median(page.runs.map((r) => r.metrics[id]!)), id === 'cumulative-layout-shift' ? 3 : 0)),
      fmt(main),
      fmt(main / baseMain, 2),
      `${fmt(median(page.runs.map((r) => r.longTasks)))} (${fmt(median(page.runs.map((r) => r.longTasksMs)))} ms)`,
      fmt(median(page.runs.map((r) => r.bytes)) / 1024, 1),
    ]);
  }
  const groupNames = [...new Set(pages.flatMap((p) => p.runs.flatMap((r) => Object.keys(r.groups))))];
  const groupRows = [['main thread ms', ...pages.map((p) => p.name)]];
  for (const group of groupNames) groupRows.push([group, ...pages.map((p) => fmt(median(p.runs.map((r) => r.groups[group] ?? 0))))]);
  const failing: string[] = [];
  for (const page of pages) {
    const counts = new Map<string, number>();
    for (const run of page.runs)
      for (const f of run.failing) counts.set(f.replace(/ \(.*\)$/, ''), (counts.get(f.replace(/ \(.*\)$/, '')) ?? 0) + 1);
    for (const [f, n] of counts) failing.push(`  ${page.name}: ${f} (in ${n} of ${page.runs.length} runs)`);
  }
  return [
    `Lighthouse ${version}, mobile preset, median of ${runs} run(s) per page (${pages.map((p) => `${p.name} ${p.path}`).join(', ')})`,
    '',
    formatTable(scoreRows, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
    '',
    formatTable(
      groupRows,
      pages.map((_, i) => i + 1),
    ),
    '',
    traced
      ? formatTable(
          [
            ['traced loads (median)', ...pages.map((p) => p.name)],
            ['main thread CPU ms', ...traced.map((t) => fmt(t.cpuMs, 1))],
            ['× baseline', ...traced.map((t) => fmt(t.cpuMs / traced[0]!.cpuMs, 2))],
            ['main thread wall ms', ...traced.map((t) => fmt(t.wallMs, 1))],
            ['font look-ups', ...traced.map((t) => fmt(t.fontLookups))],
          ],
          pages.map((_, i) => i + 1),
        )
      : 'traced loads: skipped (no puppeteer-core beside Lighthouse)',
    '',
    'Audits that did not pass',
    failing.length > 0 ? failing.join('\n') : '  none',
  ].join('\n');
}

async function bench(runs: number): Promise<number> {
  const lighthouse = process.env.LIGHTHOUSE_BIN ?? DEFAULT_LIGHTHOUSE;
  const chrome = process.env.CHROME_PATH ?? DEFAULT_CHROME;
  if (!(await executable(lighthouse))) {
    console.error(
      [
        `Lighthouse is not installed at ${lighthouse}. It is not a project dependency; install it outside the checkout:`,
        '  npm install --prefix /tmp/lh lighthouse',
        'or set LIGHTHOUSE_BIN to the path of its CLI (…/node_modules/.bin/lighthouse).',
      ].join('\n'),
    );
    return 2;
  }
  if (!(await executable(chrome))) {
    console.error(`No Chrome or Chromium at ${chrome}: install one and set CHROME_PATH to it.`);
    return 2;
  }
  const { articles } = await import('../src/demo/content.js');
  const slug = articles[0]?.slug;
  if (!slug) throw new Error('the demo content has no articles');

  const dir = await mkdtemp(join(tmpdir(), 'harbinger-bench-lighthouse-'));
  try {
    process.stderr.write(`starting the app (DATA_DIR ${dir}, MEDIA_DIR ${MEDIA_DIR})…\n`);
    const app = await spawnChild('app', SELF, ['--serve'], {
      env: { ...process.env, DATA_DIR: dir, MEDIA_DIR },
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
    const base = await spawnChild('baseline', SELF, ['--baseline'], { readyTimeoutMs: 30_000 });
    const pages = [
      { name: 'baseline', origin: `http://127.0.0.1:${base.port}`, path: '/', runs: [] as RunFigures[] },
      { name: 'article', origin: `http://127.0.0.1:${app.port}`, path: `/articles/${slug}`, runs: [] as RunFigures[] },
      { name: 'home', origin: `http://127.0.0.1:${app.port}`, path: '/', runs: [] as RunFigures[] },
    ];
    // A first request each, so no audit measures a cold render cache or a 404.
    for (const page of pages) {
      const res = await fetch(page.origin + page.path);
      if (!res.ok) throw new Error(`${page.name}: ${page.path} answered ${res.status}`);
      await res.arrayBuffer();
    }
    let version = '';
    for (let i = 1; i <= runs; i++) {
      for (const page of pages) {
        const out = join(dir, `${page.name}-${i}.json`);
        process.stderr.write(`run ${i}/${runs}: ${page.name}…\n`);
        await audit(lighthouse, chrome, page.origin + page.path, out);
        const parsed = JSON.parse(await readFile(out, 'utf8')) as Report;
        version = parsed.lighthouseVersion;
        page.runs.push(figuresOf(parsed));
      }
    }
    // Lighthouse's own times are wall times on a simulated slow phone: on a shared
    // machine they move with the load. The page's CPU time and its font look-ups do not.
    const puppeteer = await loadPuppeteer(lighthouse);
    process.stderr.write(puppeteer ? 'traced loads…\n' : 'no puppeteer-core beside Lighthouse: traced loads skipped\n');
    const traced = puppeteer
      ? await traceLoads(
          puppeteer,
          chrome,
          pages.map((p) => p.origin + p.path),
          Math.max(runs, 5),
        )
      : null;
    console.log(report(pages, version, runs, traced));
    return 0;
  } finally {
    await stopAllChildren();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { serve: { type: 'boolean' }, baseline: { type: 'boolean' }, runs: { type: 'string' } } });
  if (values.serve) {
    await serveApp();
    return -1; // keep serving
  }
  if (values.baseline) {
    await serveBaseline();
    return -1;
  }
  const runs = values.runs === undefined ? 3 : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number from 1 upwards, not "${values.runs}"`);
  process.on('exit', killAllChildrenNow);
  const onSignal = () => void stopAllChildren().finally(() => process.exit(130));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return bench(runs);
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    void stopAllChildren().finally(() => process.exit(1));
  },
);
