// /healthz says the process answers; /readyz says whether the services it needs
// answer (the database always, others as their plugins register them), and turns
// 503 once the server is shutting down so a load balancer stops sending traffic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers.js';

interface ReadyBody {
  status: string;
  checks: Record<string, string>;
}

test('/readyz answers 200 with the database checked, and /healthz answers without it', async () => {
  const t = await buildTestApp({ seed: false });
  try {
    const ready = await t.app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.headers['cache-control'], 'no-store');
    assert.equal(ready.headers['set-cookie'], undefined);
    const body = ready.json<ReadyBody>();
    assert.equal(body.status, 'ready');
    assert.equal(body.checks.database, 'ok');
    assert.ok(Object.values(body.checks).every((outcome) => outcome === 'ok'));

    const live = await t.app.inject('/healthz');
    assert.equal(live.statusCode, 200);
    assert.equal(live.headers['cache-control'], 'no-store');
    assert.deepEqual(live.json(), { status: 'ok' });
  } finally {
    await t.close();
  }
});

test('a failing or hanging check makes /readyz answer 503 naming it, without its error message', async () => {
  const t = await buildTestApp({ seed: false });
  try {
    t.app.readiness.register('broken', async () => {
      throw new Error('connect ECONNREFUSED secret-host:6379');
    });
    const res = await t.app.inject('/readyz');
    assert.equal(res.statusCode, 503);
    const body = res.json<ReadyBody>();
    assert.equal(body.status, 'not ready');
    assert.equal(body.checks.database, 'ok');
    assert.equal(body.checks.broken, 'failed');
    assert.doesNotMatch(res.body, /secret-host/);
    // Liveness does not depend on other services.
    assert.equal((await t.app.inject('/healthz')).statusCode, 200);
  } finally {
    await t.close();
  }
});

test('a check that never answers is reported as a timeout', async () => {
  const { createReadiness } = await import('../../src/web/health.js');
  const warnings: object[] = [];
  const readiness = createReadiness({ warn: (obj) => warnings.push(obj) }, 20);
  readiness.register('database', async () => undefined);
  readiness.register('storage', () => new Promise(() => undefined));
  const report = await readiness.run();
  assert.deepEqual(report, { ready: false, shuttingDown: false, checks: { database: 'ok', storage: 'timeout' } });
  assert.equal(warnings.length, 1);
  assert.throws(() => readiness.register('storage', async () => undefined), /storage/);
});

test('once the server is shutting down /readyz answers 503 while /healthz still answers', async () => {
  const t = await buildTestApp({ seed: false });
  try {
    t.app.readiness.markShuttingDown();
    const res = await t.app.inject('/readyz');
    assert.equal(res.statusCode, 503);
    const body = res.json<ReadyBody>();
    assert.equal(body.status, 'shutting down');
    assert.equal(body.checks.database, 'ok');
    assert.equal((await t.app.inject('/healthz')).statusCode, 200);
  } finally {
    await t.close();
  }
});
