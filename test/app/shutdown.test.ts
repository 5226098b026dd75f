// Graceful shutdown of the real server process (`harbinger serve`, as deployed):
// on SIGTERM it stops accepting connections, lets a download in progress finish
// with all its bytes, lets the worker finish the job it is running (an email to
// an SMTP server that takes its time), closes the database and exits 0. So does
// `harbinger worker`; a second signal stops either at once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { openDatabase, type OpenDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { enqueue } from '../../src/jobs/queue.js';
import { adminQuery, databaseKind, postgresUrl } from '../database-url.js';

/** Bigger than what the kernel buffers between two sockets, so a paused reader holds the response open. */
const PICTURE_BYTES = 48 * 1024 * 1024;
const PICTURE = `${'ab'.repeat(32)}-full.jpg`;

/** A database the server process and this test both open: a SQLite file, or a PostgreSQL database of its own. */
async function sharedDatabase(dataDir: string): Promise<{ url: string; database: OpenDatabase; drop(): Promise<void> }> {
  if (databaseKind === 'sqlite') {
    const file = join(dataDir, 'harbinger.db');
    const database = openDatabase({ kind: 'sqlite', file });
    return { url: `sqlite:${file}`, database, drop: () => database.close() };
  }
  const name = `harbinger_shutdown_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = postgresUrl(name);
  const database = openDatabase({ kind: 'postgres', url });
  return {
    url,
    database,
    drop: async () => {
      await database.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

/** An SMTP server that holds each message until released: a job sending to it is running until then. */
async function slowSmtp() {
  let arrived!: () => void;
  const messageArrived = new Promise<void>((resolve) => (arrived = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const accepted: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        arrived();
        void released.then(() => {
          accepted.push(...session.envelope.rcptTo.map((r) => r.address));
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, messageArrived, release, accepted, close: () => new Promise<void>((r) => server.close(r)) };
}

function waitForOutput(child: ChildProcess, pattern: RegExp, output: () => string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output());
      if (match) {
        child.stdout!.off('data', check);
        child.off('exit', exited);
        resolve(match);
      }
    };
    const exited = (code: number | null) => reject(new Error(`the server exited (${code}) before printing ${pattern}:\n${output()}`));
    child.stdout!.on('data', check);
    child.once('exit', exited);
    check();
  });
}

function request(port: number, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, resolve).on('error', reject);
  });
}

/** How a new connection fares: refused, or answered with a status. */
async function newConnection(port: number): Promise<number | 'refused'> {
  try {
    const res = await request(port, '/readyz');
    res.resume();
    return res.statusCode!;
  } catch (err) {
    // A connection the kernel queued just as the server stopped listening is reset, not served: refused too.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return 'refused';
    throw err;
  }
}

test('SIGTERM lets a download in progress and a running job finish, refuses new connections, and exits 0', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'harbinger-shutdown-'));
  const mediaDir = join(dataDir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  writeFileSync(join(mediaDir, PICTURE), randomBytes(PICTURE_BYTES));
  const smtp = await slowSmtp();
  const shared = await sharedDatabase(dataDir);
  let child: ChildProcess | null = null;
  let output = '';
  try {
    await migrateToLatest(shared.database.db);
    const jobId = await enqueue(shared.database.db, 'send_email', {
      to: 'reader@example.org',
      subject: 'Your weekly brief',
      text: 'Hello',
      html: '<p>Hello</p>',
    });

    child = spawn(process.execPath, ['bin/harbinger.js', 'serve'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        SITE_URL: '',
        DATA_DIR: dataDir,
        MEDIA_DIR: mediaDir,
        DATABASE_URL: shared.url,
        SMTP_URL: smtp.url,
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT: '60',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const port = Number((await waitForOutput(child, /is running at http:\/\/[^:]+:(\d+)/, () => output))[1]);
    // The worker claimed the job and is sending its email, which the SMTP server holds.
    await smtp.messageArrived;
    assert.equal(await newConnection(port), 200, 'ready before the signal');

    // A reader downloading a big picture slowly: the server is in the middle of the answer.
    const download = await request(port, `/media/${PICTURE}`);
    assert.equal(download.statusCode, 200);
    download.pause();

    child.kill('SIGTERM');
    let fate: number | 'refused' = 200;
    for (let i = 0; i < 200 && fate === 200; i++) {
      fate = await newConnection(port);
      if (fate === 200) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.ok(fate === 'refused' || fate === 503, `a new connection after SIGTERM is refused or answered 503, not ${fate}`);
    assert.equal(child.exitCode, null, 'the server waits for the download and the job');

    let received = 0;
    download.on('data', (chunk: Buffer) => (received += chunk.length));
    const downloaded = new Promise<void>((resolve, reject) => {
      download.on('end', resolve);
      download.on('error', reject);
    });
    download.resume();
    await downloaded;
    assert.equal(received, PICTURE_BYTES, 'the whole picture arrived');

    smtp.release();
    assert.equal(await exited, 0, output);
    child = null;
    assert.match(output, /"msg":"shut down"/);

    const job = await shared.database.db
      .selectFrom('jobs')
      .select(['status', 'finished_at'])
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    assert.equal(job.status, 'done');
    assert.ok(job.finished_at);
    assert.deepEqual(smtp.accepted, ['reader@example.org']);
  } finally {
    if (child) child.kill('SIGKILL');
    smtp.release();
    await smtp.close();
    await shared.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

function spawnHarbinger(command: string, env: Record<string, string>) {
  let output = '';
  const child = spawn(process.execPath, ['bin/harbinger.js', command], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT: '60', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test('harbinger worker finishes the job it is running on SIGTERM and exits 0; a second signal exits at once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'harbinger-shutdown-'));
  const smtp = await slowSmtp();
  const shared = await sharedDatabase(dataDir);
  const running: ChildProcess[] = [];
  const closers: Awaited<ReturnType<typeof slowSmtp>>[] = [];
  try {
    await migrateToLatest(shared.database.db);
    const env = { DATA_DIR: dataDir, DATABASE_URL: shared.url, SMTP_URL: smtp.url };
    const message = { subject: 'Your weekly brief', text: 'Hello', html: '<p>Hello</p>' };
    const jobs = shared.database.db.selectFrom('jobs').select(['status', 'finished_at']);

    const patient = await enqueue(shared.database.db, 'send_email', { to: 'first@example.org', ...message });
    const worker = spawnHarbinger('worker', env);
    running.push(worker.child);
    await smtp.messageArrived;
    worker.child.kill('SIGTERM');
    await waitForOutput(worker.child, /"msg":"shutting down"/, worker.output);
    assert.equal(worker.child.exitCode, null, 'the worker waits for its running job');
    smtp.release();
    assert.equal(await worker.exited, 0, worker.output());
    const done = await jobs.where('id', '=', patient).executeTakeFirstOrThrow();
    assert.equal(done.status, 'done');
    assert.deepEqual(smtp.accepted, ['first@example.org']);

    // Impatient: the second signal does not wait; the job stays claimed until its lease runs out.
    const hurried = await enqueue(shared.database.db, 'send_email', { to: 'second@example.org', ...message });
    const stuck = await slowSmtp();
    closers.push(stuck);
    const again = spawnHarbinger('worker', { ...env, SMTP_URL: stuck.url });
    running.push(again.child);
    await stuck.messageArrived;
    again.child.kill('SIGTERM');
    await waitForOutput(again.child, /"msg":"shutting down"/, again.output);
    again.child.kill('SIGTERM');
    assert.equal(await again.exited, 1, again.output());
    assert.equal((await jobs.where('id', '=', hurried).executeTakeFirstOrThrow()).status, 'running');
    assert.deepEqual(stuck.accepted, []);
  } finally {
    for (const server of closers) {
      server.release();
      await server.close();
    }
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    smtp.release();
    await smtp.close();
    await shared.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
