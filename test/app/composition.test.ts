// The app is composed of plugins that name the plugins they need: a plugin
// registered without them fails at boot, saying which one is missing, and the
// job worker is built with the handlers every module registered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { JobRegistry } from '../../src/jobs/plugin.js';
import { newsroomPlugin } from '../../src/modules/newsroom/index.js';
import { buildTestApp } from '../helpers.js';

test('a module registered before the plugins it needs fails at boot, naming the missing one', async () => {
  const app = Fastify({ logger: false });
  await assert.rejects(async () => app.register(newsroomPlugin), /harbinger-articles/);
  await app.close().catch(() => undefined);
});

test('the job worker is built with every module’s job handlers', async () => {
  const t = await buildTestApp({ seed: false });
  try {
    const kinds = Object.keys(t.app.jobs.handlers);
    for (const kind of ['send_email', 'account_email', 'publish_article', 'newsletter_send', 'newsletter_mail']) {
      assert.ok(kinds.includes(kind), `a handler for ${kind}`);
    }
    assert.ok(
      kinds.some((kind) => kind.startsWith('media')),
      'the media library’s handlers',
    );
  } finally {
    await t.close();
  }
});

test('a second handler for the same kind of job is refused', () => {
  const jobs = new JobRegistry();
  jobs.register('send_email', async () => undefined);
  assert.throws(() => jobs.register('send_email', async () => undefined), /send_email/);
});
