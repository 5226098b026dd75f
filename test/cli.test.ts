// The harbinger command, run as a separate process on a SQLite file: migrate, and
// the staff accounts and sign-in links that user create and user link print.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { Browserish } from './browserish.js';
import { completeSecondStep } from './two-factor.js';

const dataDir = mkdtempSync(join(tmpdir(), 'harbinger-cli-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs the command as `npx harbinger` does: the compiled code in dist/, built first when older than src/. */
function harbinger(...args: string[]) {
  return spawnSync(process.execPath, ['bin/harbinger.js', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      SITE_URL: 'http://harbinger.test',
    },
  });
}

describe('the harbinger command', () => {
  it('migrates an empty database', () => {
    const first = harbinger('migrate');
    assert.equal(first.status, 0, first.stderr);
    // Counted from the first migration, so a new module's migration does not break this test.
    assert.match(first.stdout, /Applied \d+ migration\(s\): 2026-11-26-01-foundation, /);
    assert.match(harbinger('migrate').stdout, /up to date/);
  });

  it('creates a staff account whose one-time link opens the newsroom', async () => {
    const res = harbinger('user', 'create', '--email', 'Chief@Example.org', '--role', 'editor_in_chief', '--name', 'Ada Editor');
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Created Chief@Example\.org \(editor_in_chief\), linked to \/people\/ada-editor\./);
    const link = /http:\/\/harbinger\.test(\/account\/link\?token=[A-Za-z0-9_-]+)/.exec(res.stdout)![1]!;

    const duplicate = harbinger('user', 'create', '--email', 'chief@example.org', '--role', 'mentor');
    assert.equal(duplicate.status, 1);
    assert.match(duplicate.stderr, /already exists/);
    const badRole = harbinger('user', 'create', '--email', 'x@example.org', '--role', 'emperor');
    assert.equal(badRole.status, 2);
    assert.match(badRole.stderr, /Choose a role/);

    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', SITE_URL: 'http://harbinger.test', DATABASE_URL: '' });
    const database = openDatabase(config.database);
    const app = await buildApp({ config, database, logger: false });
    try {
      const b = new Browserish(app);
      assert.equal((await b.get(link)).statusCode, 200);
      const linked = await b.post('/account/link', { token: new URL(link, 'http://x').searchParams.get('token')! });
      assert.equal(linked.headers.location, '/account/two-factor/setup', 'an editor-in-chief sets up two-factor sign-in first');
      const signedIn = await completeSecondStep(b, linked, 'chief@example.org');
      assert.equal(signedIn.headers.location, '/newsroom');
      const newsroom = await b.get('/newsroom');
      assert.equal(newsroom.statusCode, 200);
      assert.match(newsroom.body, /<h1>Hello, Ada<\/h1>/);
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('creates a section editor of a named section, and refuses one without a section or with an unknown one', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', SITE_URL: 'http://harbinger.test', DATABASE_URL: '' });
    let database = openDatabase(config.database);
    try {
      await database.db
        .insertInto('sections')
        .values({
          id: '00000000-0000-7000-8000-00000000c11a',
          slug: 'climate',
          name: 'Climate',
          description: '',
          position: 1,
          created_at: new Date().toISOString(),
        })
        .execute();
    } finally {
      await database.close();
    }
    const missing = harbinger('user', 'create', '--email', 'editor@example.org', '--role', 'section_editor', '--name', 'Sec Editor');
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /--section SLUG \(climate\)/);
    const unknown = harbinger('user', 'create', '--email', 'editor@example.org', '--role', 'section_editor', '--section', 'astrology');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /There is no section with the slug astrology\. Sections: climate\./);

    const ok = harbinger(
      'user',
      'create',
      '--email',
      'editor@example.org',
      '--role',
      'section_editor',
      '--section',
      'climate',
      '--name',
      'Sec Editor',
    );
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Created editor@example\.org \(section_editor, Climate\)/);
    database = openDatabase(config.database);
    try {
      const users = await database.db.selectFrom('users').select('email').where('email', '=', 'editor@example.org').execute();
      assert.equal(users.length, 1, 'the refused commands created no account');
      const role = await database.db
        .selectFrom('role_assignments as r')
        .innerJoin('people as p', 'p.id', 'r.person_id')
        .select(['r.role', 'r.section_id'])
        .where('p.slug', '=', 'sec-editor')
        .executeTakeFirstOrThrow();
      assert.deepEqual(role, { role: 'section_editor', section_id: '00000000-0000-7000-8000-00000000c11a' });
    } finally {
      await database.close();
    }
  });

  it('prints a fresh sign-in link for an existing account, and refuses unknown ones', () => {
    assert.match(harbinger('user', 'link', '--email', 'chief@example.org').stdout, /\/account\/link\?token=/);
    const unknown = harbinger('user', 'link', '--email', 'nobody@example.org');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /There is no account/);
  });
});
