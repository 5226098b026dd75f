// Cold start and idle memory of the production server: `node bin/harbinger.js
// serve` on the compiled build with NODE_ENV=production and a migrated SQLite
// database holding the demo. It measures the time from spawn to the first 200
// on /, and the resident memory (and V8 heap) after 5 s idle, next to a bare
// node:http server measured the same way in the same run.
// `npm run bench:startup [-- --runs N]`. Prints; asserts nothing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable } from './lib.js';

const ROOT = join(import.meta.dirname, '..');
/** The demo database survives between runs: loading it takes a while the first time. */
const DATA_DIR = join(tmpdir(), 'harbinger-bench-startup');
const IDLE_MS = 5000;
const BUDGET = { coldStartMs: 1500, idleRssMb: 150 };

// Loaded before the program: reports the V8 heap on SIGUSR2, so it is read from outside without changing the server.
const HEAP_PROBE = `data:text/javascript,process.on('SIGUSR2',()=>process.stderr.write('HEAP '+JSON.stringify(process.memoryUsage())+'\\n'))`;
const BASELINE = `require('node:http').createServer((q,s)=>s.end('ok')).listen(0,'127.0.0.1',function(){console.log('running at http://127.0.0.1:'+this.address().port)})`;

interface Sample {
  startMs: number;
  /** CPU time the process used until then: steadier than the wall clock on a busy machine. */
  cpuMs: number;
  rssMb: number;
  heapMb: number;
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** User and system CPU time of a process so far (/proc/<pid>/stat counts clock ticks, 100 a second on Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function firstOk(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

function waitFor(child: ChildProcess, pattern: RegExp, stream: 'stdout' | 'stderr'): Promise<RegExpExecArray> {
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (!match) return;
      child[stream]!.off('data', onData);
      resolve(match);
    };
    child[stream]!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before printing ${pattern}: ${text}`)));
  });
}

async function measure(args: string[]): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', HEAP_PROBE, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR,
      DATABASE_URL: '',
      HOST: '127.0.0.1',
      PORT: '0',
      SITE_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const port = Number((await waitFor(child, /running at http:\/\/[^:/]+:(\d+)/, 'stdout'))[1]);
    const status = await firstOk(port);
    const startMs = performance.now() - started;
    const cpu = cpuMs(child.pid!);
    if (status !== 200) throw new Error(`/ answered ${status}`);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const rss = rssMb(child.pid!);
    const heap = waitFor(child, /HEAP (\{.*\})/, 'stderr');
    child.kill('SIGUSR2');
    const { heapUsed } = JSON.parse((await heap)[1]!) as { heapUsed: number };
    return { startMs, cpuMs: cpu, rssMb: rss, heapMb: heapUsed / 1024 / 1024 };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Math.max(1, Number(values.runs));

  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the build failed');
  if (!existsSync(join(DATA_DIR, 'harbinger.db'))) {
    console.log(`Loading the demo into ${DATA_DIR} (once; it takes a while)…`);
    const seeded = spawnSync(process.execPath, ['bin/harbinger.js', 'seed-demo'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: 'inherit',
    });
    if (seeded.status !== 0) throw new Error('seed-demo failed');
  }

  const baseline: Sample[] = [];
  const harbinger: Sample[] = [];
  // Interleaved, so a burst of load on the machine touches both alike.
  for (let i = 0; i < runs; i++) {
    baseline.push(await measure(['-e', BASELINE]));
    harbinger.push(await measure(['bin/harbinger.js', 'serve']));
  }

  const row = (name: string, samples: Sample[]) => [
    name,
    median(samples.map((s) => s.startMs)).toFixed(0),
    median(samples.map((s) => s.cpuMs)).toFixed(0),
    median(samples.map((s) => s.rssMb)).toFixed(1),
    median(samples.map((s) => s.heapMb)).toFixed(1),
  ];
  const b = row('node:http baseline', baseline);
  const h = row('harbinger serve', harbinger);
  const ratio = (col: number) => (Number(h[col]) / Number(b[col])).toFixed(2);
  console.log(`\nCold start to the first 200 on / and memory after ${IDLE_MS / 1000} s idle (median of ${runs}):\n`);
  console.log(
    formatTable(
      [
        ['', 'start (ms)', 'CPU to start (ms)', 'idle RSS (MB)', 'heap used (MB)'],
        b,
        h,
        ['ratio to baseline', ratio(1), ratio(2), ratio(3), ratio(4)],
      ],
      [1, 2, 3, 4],
    ),
  );
  const startMs = Number(h[1]);
  const rss = Number(h[3]);
  console.log(
    `\nBudgets: start < ${BUDGET.coldStartMs} ms: ${startMs < BUDGET.coldStartMs ? 'met' : 'NOT met'}; ` +
      `idle RSS < ${BUDGET.idleRssMb} MB: ${rss < BUDGET.idleRssMb ? 'met' : 'NOT met'}.`,
  );
}

await main();
