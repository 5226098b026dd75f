// Small helpers for the page benchmark: load generation (autocannon), child
// server processes, byte sizes, HTML scraping and plain-text tables.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';

// ---------------------------------------------------------------------------
// Load generation
// ---------------------------------------------------------------------------

/** The part of autocannon's result we read; autocannon ships no type declarations. */
interface AutocannonResult {
  requests: { mean: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

// autocannon is CommonJS without types: loading it through require lets us give
// it the narrow signature above instead of an implicit `any` import.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadOptions {
  connections: number;
  /** Seconds. */
  duration: number;
  headers?: Record<string, string> | undefined;
}

export interface LoadResult {
  /** Mean requests per second over the run's one-second samples. */
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  /** Socket errors and timeouts. */
  errors: number;
  non2xx: number;
}

export async function runAutocannon(url: string, opts: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.duration,
    ...(opts.headers ? { headers: opts.headers } : {}),
  });
  return {
    rps: result.requests.mean,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

// ---------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------

/** What a child tells the parent once it listens: its port, and for the app a signed-in reader's cookie. */
export interface ReadyInfo {
  port: number;
  /** A `Cookie` header value (`hb_session=...`) for a verified reader's session. */
  readerCookie?: string;
}

/** The one stdout line a child prints once it listens; anything else is log output. */
interface ReadyMessage {
  benchReady: ReadyInfo;
}

export interface Child {
  name: string;
  pid: number;
  port: number;
  /** Set when the child announced one (the app does). */
  readerCookie: string | undefined;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** SIGTERM lets the app close its database cleanly; SIGKILL follows if it hangs. */
async function terminate(child: ChildProcess): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Child side: tells the parent which port the server listens on (and anything else in `info`). */
export function announceReady(info: ReadyInfo): void {
  const message: ReadyMessage = { benchReady: info };
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/**
 * Child side: runs `onGone` when the parent's end of our stdin closes. That
 * happens however the parent ends, even on SIGKILL, so no server outlives it.
 */
export function onParentGone(onGone: () => void): void {
  process.stdin.on('end', onGone);
  process.stdin.on('error', onGone);
  process.stdin.resume();
}

function isReadyMessage(value: unknown): value is ReadyMessage {
  if (typeof value !== 'object' || value === null || !('benchReady' in value)) return false;
  const ready = value.benchReady;
  if (typeof ready !== 'object' || ready === null) return false;
  const { port, readerCookie } = ready as { port?: unknown; readerCookie?: unknown };
  return typeof port === 'number' && (readerCookie === undefined || typeof readerCookie === 'string');
}

/**
 * Runs `script` (TypeScript, through tsx) with `args` in a new Node process and
 * resolves once it prints its ready line. Rejects, after killing it, if it exits
 * or stays silent for `readyTimeoutMs`. The child's other stdout lines (server
 * logs) go to our stderr so the report on stdout stays clean.
 */
export function spawnChild(
  name: string,
  script: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; readyTimeoutMs: number },
): Promise<Child> {
  // An absolute loader URL keeps the child independent of the working directory.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, ...args], {
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const stop = () => terminate(child);

  return new Promise<Child>((resolve, reject) => {
    let ready = false;
    const fail = (message: string) => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${name}: ${message}`)));
    };
    const timer = setTimeout(() => fail(`not ready after ${options.readyTimeoutMs / 1000} s`), options.readyTimeoutMs);
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) => fail(`exited before it was ready (${signal ?? `code ${code}`})`));

    createInterface({ input: child.stdout }).on('line', (line) => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(line);
      } catch {
        // Not JSON: an ordinary log line.
      }
      if (!ready && isReadyMessage(parsed)) {
        ready = true;
        clearTimeout(timer);
        resolve({ name, pid: child.pid!, port: parsed.benchReady.port, readerCookie: parsed.benchReady.readerCookie, stop });
      } else {
        process.stderr.write(`[${name}] ${line}\n`);
      }
    });
  });
}

/** Stops every child this process spawned and that still runs (and only those). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map(terminate));
}

/** Last resort for a synchronous `exit`: signal whatever is left without waiting. */
export function killAllChildrenNow(): void {
  for (const child of children) if (running(child)) child.kill('SIGKILL');
}

// ---------------------------------------------------------------------------
// Sizes
// ---------------------------------------------------------------------------

/** Gzip at zlib's default level 6: what a typical server sends on the fly. */
export function gzipSize(body: Uint8Array): number {
  return gzipSync(body, { level: 6 }).length;
}

/** 1 KB = 1024 bytes, the unit of the budgets. */
export const KB = 1024;

export function formatKb(bytes: number): string {
  return `${(bytes / KB).toFixed(1)} KB`;
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** The stylesheets (`<link rel="stylesheet" href>`) and scripts (`<script src>`) a page loads. */
export function referencedAssets(html: string): { css: string[]; js: string[] } {
  const css: string[] = [];
  const js: string[] = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = attribute(tag, 'rel')?.toLowerCase().split(/\s+/) ?? [];
    const href = attribute(tag, 'href');
    if (rel.includes('stylesheet') && href) css.push(href);
  }
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attribute(tag, 'src');
    if (src) js.push(src);
  }
  return { css, js };
}

/**
 * The inner HTML of the first element whose class list includes `className`,
 * found by counting nested tags of the same name (the body holds nested divs).
 */
export function innerHtmlByClass(html: string, className: string): string | undefined {
  const open = new RegExp(`<([a-z][a-z0-9]*)\\b[^>]*\\sclass\\s*=\\s*"(?:[^"]*\\s)?${className}(?:\\s[^"]*)?"[^>]*>`, 'i').exec(html);
  if (!open) return undefined;
  const tagName = open[1]!;
  const start = open.index + open[0].length;
  const tags = new RegExp(`<(/?)${tagName}\\b[^>]*>`, 'gi');
  tags.lastIndex = start;
  let depth = 1;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index);
  }
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Words in an HTML fragment: tags dropped, entities decoded, tokens with a letter or digit counted. */
export function countWords(html: string): number {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
      if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)));
      return ENTITIES[code.toLowerCase()] ?? entity;
    });
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

/** A plain-text table; `right` lists the columns (by index) to right-align, typically numbers. */
export function formatTable(rows: string[][], right: readonly number[] = []): string {
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows
    .map((row) =>
      widths
        .map((width, c) => (right.includes(c) ? (row[c] ?? '').padStart(width) : (row[c] ?? '').padEnd(width)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}
