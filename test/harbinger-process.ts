// A `harbinger` process run from the sources (as `npm run dev` does), for tests
// of what only a real process shows: signals, a crash, several servers on one
// database, the database or the mail server going away under it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** A port nothing listens on (at the moment of asking). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One `harbinger` process, with the tail of what it printed (for a failure's message). */
export class Harbinger {
  readonly child: ChildProcess;
  output = '';
  /** Every complete line it printed that matches `watch` (its 500 answers, say). */
  readonly watched: string[] = [];
  private partial = '';
  private readonly exit: Promise<void>;

  constructor(
    readonly name: string,
    args: string[],
    env: Record<string, string>,
    private readonly watch: RegExp | null = null,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exit = new Promise((resolve) => this.child.once('exit', () => resolve()));
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      this.output = (this.output + text).slice(-4000);
      if (!this.watch) return;
      const lines = (this.partial + text).split('\n');
      this.partial = lines.pop()!;
      this.watched.push(...lines.filter((line) => this.watch!.test(line)));
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Waits until the process prints a line matching `pattern` (or exits, which fails). */
  printed(pattern: RegExp, ms = 60_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${this.name} did not print ${pattern} within ${ms} ms:\n${this.output}`)), ms);
      const check = () => {
        const match = pattern.exec(this.output);
        if (match) done(null, match);
        else if (this.exited) done(new Error(`${this.name} exited before printing ${pattern}:\n${this.output}`));
      };
      const done = (err: Error | null, match?: RegExpExecArray) => {
        clearTimeout(timer);
        this.child.stdout!.off('data', check);
        this.child.off('exit', check);
        if (err) reject(err);
        else resolve(match!);
      };
      this.child.stdout!.on('data', check);
      this.child.on('exit', check);
      check();
    });
  }

  /** Kills it at once (SIGKILL: no shutdown, as a crash or an out-of-memory kill would) and waits until it is gone. */
  async kill(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    await this.exit;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exit;
    clearTimeout(timer);
  }
}
