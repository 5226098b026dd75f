// A demo magazine in a database that `harbinger serve` processes and the test
// both open: a SQLite file in the test's own folder, or a PostgreSQL database of
// its own. The servers are run from the sources, as deployed (NODE_ENV=production,
// the worker in the web process), and each prints its log for the test to read.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery } from '../database-url.js';
import { openDatabase, type Db, type OpenDatabase } from '../../src/db/database.js';
import { Harbinger } from '../harbinger-process.js';
import { Browser } from '../http-browser.js';
import { createTestDatabase, databaseKind, postgresUrl, prepare, TEST_MEDIA_DIR } from '../helpers.js';

const TEMPLATES = process.env.HARBINGER_TEST_TEMPLATES;

/** What a server logs when a request fails on our side: an answer of 500 or more other than 503 (unavailable). */
export const SERVER_ERROR_LINE = /"statusCode":5(?!03)\d\d|"msg":"request failed"/;

export class Site {
  readonly dir = mkdtempSync(join(tmpdir(), 'harbinger-hardening-'));
  /** DATABASE_URL as the servers are given it. */
  url = '';
  db!: Db;
  private database: OpenDatabase | null = null;
  private cleanup: (() => Promise<void>) | null = null;
  private readonly processes: Harbinger[] = [];

  /** Copies the demo magazine into a database of its own. */
  async open(): Promise<void> {
    if (databaseKind === 'sqlite') {
      const file = join(this.dir, 'harbinger.db');
      if (TEMPLATES) copyFileSync(join(TEMPLATES, 'demo.sqlite'), file);
      this.database = openDatabase({ kind: 'sqlite', file });
      if (!TEMPLATES) await prepare(this.database.db, true);
      this.url = `sqlite:${file}`;
    } else {
      const copy = await createTestDatabase({ seeded: true });
      if (copy.config.kind === 'postgres' && !copy.config.schema) {
        this.database = copy.database;
        this.url = copy.config.url;
        this.cleanup = copy.drop;
      } else {
        // A file run on its own has no template databases: a database of its own, filled here.
        await copy.drop();
        const name = `harbinger_hardening_${randomBytes(5).toString('hex')}`;
        await adminQuery(`create database ${name}`);
        this.url = postgresUrl(name);
        this.database = openDatabase({ kind: 'postgres', url: this.url });
        await prepare(this.database.db, true);
        const database = this.database;
        this.cleanup = async () => {
          await database.close();
          await adminQuery(`drop database if exists ${name} with (force)`);
        };
      }
    }
    this.db = this.database.db;
  }

  /** The environment of a server of this site. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      SITE_URL: '',
      DATA_DIR: this.dir,
      MEDIA_DIR: TEST_MEDIA_DIR,
      DATABASE_URL: this.url,
      SEED_DEMO: 'false',
      // Each test client says where it comes from, so the per-address limits of sign-up count each on its own.
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'info',
      ...extra,
    };
  }

  /** Starts `harbinger serve` and resolves with it and its address once it listens. */
  async serve(extra: Record<string, string> = {}, name = 'the server'): Promise<{ server: Harbinger; base: string }> {
    const server = new Harbinger(name, ['serve'], this.env(extra), SERVER_ERROR_LINE);
    this.processes.push(server);
    const [, base] = await server.printed(/is running at (http:\/\/[^\s"]+)/);
    return { server, base: base!.replace(/\/$/, '') };
  }

  /** A one-time sign-in link for a staff writer's new account, as `harbinger user create` prints it. */
  async writerLink(): Promise<URL> {
    const email = `writer-${randomBytes(4).toString('hex')}@newsroom.example`;
    const create = new Harbinger('harbinger user create', ['user', 'create', '--email', email, '--role', 'staff_writer'], {
      ...this.env(),
      LOG_LEVEL: 'silent',
    });
    this.processes.push(create);
    const [link] = await create.printed(/https?:\/\/\S+\/account\/link\?token=\S+/);
    return new URL(link);
  }

  /** Signs in on `base` with a one-time link. */
  async signIn(base: string, link: URL): Promise<Browser> {
    const browser = new Browser();
    await browser.get(base, link.pathname + link.search);
    const signedIn = await browser.post(base, '/account/link', { token: link.searchParams.get('token')! });
    assert.equal(signedIn.status, 303, `signed in: ${signedIn.text.slice(0, 300)}`);
    return browser;
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()));
    if (this.cleanup) await this.cleanup();
    else await this.database?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
