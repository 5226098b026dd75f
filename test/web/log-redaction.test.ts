// One-time tokens must not reach the request logs: the app is built with an
// info-level logger writing to a stream, links with tokens are requested, and
// every captured line is searched for the tokens.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { redactUrl } from '../../src/web/log-redaction.js';
import { createTestDatabase, TEST_MEDIA_DIR, type TestDatabase } from '../helpers.js';

const lines: string[] = [];
let app: FastifyInstance;
let testDb: TestDatabase;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'harbinger-logs-'));
  testDb = await createTestDatabase();
  const config = loadConfig(
    { NODE_ENV: 'test', DATA_DIR: dataDir, MEDIA_DIR: TEST_MEDIA_DIR, LOG_LEVEL: 'info', SITE_URL: 'http://harbinger.test' },
    {
      database:
        testDb.database.kind === 'sqlite' ? { kind: 'sqlite', file: ':memory:' } : { kind: 'postgres', url: process.env.DATABASE_URL! },
    },
  );
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  app = await buildApp({ config, database: testDb.database, logger: { level: 'info', stream } });
});
after(async () => {
  await app.close();
  await testDb.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('request logs', () => {
  it('never contain the tokens of email links, in the query or in the path', async () => {
    const secrets = {
      verify: 'VerifySecret0123456789abcdefghijkl',
      link: 'MagicSecret0123456789abcdefghijklm',
      reset: 'ResetSecret0123456789abcdefghijklm',
      email: 'EmailSecret0123456789abcdefghijklm',
      confirm: 'ConfirmSecret0123456789abcdefghijk',
      unsubscribe: '0190a0a0-0000-7000-8000-000000000001.UnsubSecret0123456789abcdefghi',
      preferences: '0190a0a0-0000-7000-8000-000000000002.PrefsSecret0123456789abcdefghi',
      upper: 'UpperSecret0123456789abcdefghijklm',
      sig: 'SigSecret0123456789abcdefghijklmno',
      code: 'CodeSecret0123456789abcdefghijklmn',
    };
    const urls = [
      `/account/verify?token=${secrets.verify}`,
      `/account/link?token=${secrets.link}`,
      `/account/reset/new?token=${secrets.reset}&next=%2F`,
      `/account/email/confirm?token=${secrets.email}`,
      `/newsletters/confirm?token=${secrets.confirm}`,
      `/newsletters/unsubscribe/${secrets.unsubscribe}`,
      `/newsletters/preferences/${secrets.preferences}?saved=1`,
      `/account/link?TOKEN=${secrets.upper}`,
      `/media/private/picture.jpg?expires=1&sig=${secrets.sig}`,
      `/somewhere?code=${secrets.code}`,
    ];
    for (const url of urls) await app.inject({ method: 'GET', url });
    await app.inject({
      method: 'POST',
      url: `/newsletters/unsubscribe/${secrets.unsubscribe}`,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    const text = lines.join('\n');
    assert.ok(lines.length >= urls.length, 'the requests were logged');
    assert.match(text, /"url":"\/account\/verify\?token=\[redacted\]"/, 'the path stays readable');
    assert.match(text, /"url":"\/newsletters\/preferences\/\[redacted\]\?saved=1"/);
    assert.match(text, /"url":"\/account\/reset\/new\?token=\[redacted\]&next=%2F"/);
    for (const [name, secret] of Object.entries(secrets)) {
      const part = secret.includes('.') ? secret.split('.')[1]! : secret;
      assert.equal(text.includes(part), false, `the ${name} token is in the log`);
    }
  });

  it('redacts what names a secret and leaves the rest', () => {
    assert.equal(redactUrl('/a?x=1&token=abc&y=2'), '/a?x=1&token=[redacted]&y=2');
    assert.equal(redactUrl('/a?access_token=abc'), '/a?access_token=[redacted]');
    assert.equal(redactUrl('/a?%74oken=abc'), '/a?%74oken=[redacted]');
    assert.equal(redactUrl('/newsletters/unsubscribe/abc.def/x'), '/newsletters/unsubscribe/[redacted]/x');
    assert.equal(redactUrl('/newsletters/the-weekly-brief'), '/newsletters/the-weekly-brief');
    assert.equal(redactUrl('/search?q=token'), '/search?q=token');
  });
});
