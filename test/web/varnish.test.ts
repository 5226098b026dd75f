// Harbinger behind a real Varnish running the reference configuration
// (deploy/varnish/harbinger.vcl): anonymous pages come from the cache, an edit
// published in the newsroom purges exactly the pages showing the article (through
// the purge job and a ban by surrogate key), and a signed-in reader's pages are
// never served from the cache nor stored in it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/lib/ids.js';
import { buildTestApp, type TestApp } from '../helpers.js';
import { articleFormValues } from '../forms.js';
import { readerClient } from '../readers.js';
import { staffClient } from '../staff.js';
import { freePort } from '../harbinger-process.js';

const VARNISHD = '/usr/sbin/varnishd';
const skip = existsSync(VARNISHD) ? false : `varnishd is not installed at ${VARNISHD} (apt-get install varnish)`;
if (skip) console.log(`# skipping the Varnish tests: ${skip}`);

let t: TestApp;
let varnish: ChildProcess | undefined;
let varnishLog = '';
let workDir = '';
let base = '';

/** Runs the queued jobs: the CDN purges go through the queue. */
async function drainJobs(): Promise<void> {
  while ((await t.app.worker.runOnce()) > 0);
}

async function viaVarnish(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

const isHit = (res: { headers: Headers }) => res.headers.get('x-cache') === 'HIT';

before(async () => {
  if (skip) return;
  const varnishPort = await freePort();
  base = `http://127.0.0.1:${varnishPort}`;
  t = await buildTestApp({ env: { CDN_PURGE_URL: `${base}/`, CDN_PURGE_STYLE: 'varnish', CACHE_S_MAXAGE: '600' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const appPort = (t.app.server.address() as { port: number }).port;

  workDir = mkdtempSync(join(tmpdir(), 'harbinger-varnish-'));
  // varnishd reads the VCL after dropping to its own user (as root it jails itself), so the files must be readable.
  chmodSync(workDir, 0o755);
  const vcl = readFileSync(new URL('../../deploy/varnish/harbinger.vcl', import.meta.url), 'utf8').replace(
    /\.port = "\d+";/,
    `.port = "${appPort}";`,
  );
  const vclFile = join(workDir, 'harbinger.vcl');
  writeFileSync(vclFile, vcl);
  // -F: in the foreground, so the test owns the process and stops it; as root,
  // Varnish 7's default jail drops to the varnish users, so no -j is needed.
  varnish = spawn(VARNISHD, ['-F', '-n', join(workDir, 'n'), '-a', `127.0.0.1:${varnishPort}`, '-f', vclFile, '-s', 'malloc,32m'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  varnish.stdout!.on('data', (d: Buffer) => (varnishLog += d.toString()));
  varnish.stderr!.on('data', (d: Buffer) => (varnishLog += d.toString()));
  for (let i = 0; ; i++) {
    if (varnish.exitCode !== null) throw new Error(`varnishd stopped: ${varnishLog}`);
    const ok = await fetch(`${base}/healthz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (i > 150) throw new Error(`varnishd did not answer: ${varnishLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // The purge of everything buildTestApp's start-up change asked for.
  await drainJobs();
});

after(async () => {
  if (varnish && varnish.exitCode === null) {
    const exited = new Promise((r) => varnish!.once('exit', r));
    varnish.kill('SIGTERM');
    await exited;
  }
  if (t) await t.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('behind Varnish', { skip }, () => {
  it('serves an anonymous page from the cache the second time, without the surrogate keys', async () => {
    const first = await viaVarnish('/sections/climate');
    assert.equal(first.status, 200);
    assert.match(first.headers.get('cache-control') ?? '', /^public, max-age=60, s-maxage=600, stale-while-revalidate=\d+$/);
    assert.equal(first.headers.get('set-cookie'), null);
    const second = await viaVarnish('/sections/climate');
    assert.equal(second.status, 200);
    assert.ok(isHit(second), 'the second request is a hit');
    assert.match(second.headers.get('x-varnish') ?? '', /^\d+ \d+$/, 'a hit carries the ids of both requests');
    assert.ok(Number(second.headers.get('age')) >= 0);
    assert.equal(second.body, first.body);
    assert.equal(second.headers.get('surrogate-key'), null, 'the keys stay between Harbinger and Varnish');
  });

  it('purges exactly the pages showing an article when its edit is published in the newsroom', async () => {
    // The newest article of a section: on its section's first page and on the home page.
    const article = await t.db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id', 'articles.slug', 'sections.slug as section'])
      .where('articles.status', '=', 'published')
      .orderBy('articles.published_at', 'desc')
      .executeTakeFirstOrThrow();
    const other = await t.db
      .selectFrom('sections')
      .innerJoin('articles', 'articles.section_id', 'sections.id')
      .select('sections.slug')
      .where('sections.slug', '!=', article.section)
      .where('articles.status', '=', 'published')
      .executeTakeFirstOrThrow();
    const showing = [`/articles/${article.slug}`, `/sections/${article.section}`, '/'];
    const unrelated = `/sections/${other.slug}`;
    const unrelatedBefore = await viaVarnish(unrelated);
    assert.ok(!unrelatedBefore.body.includes(`/articles/${article.slug}"`), 'the unrelated page does not show the article');
    for (const path of [...showing, unrelated]) {
      await viaVarnish(path);
      assert.ok(isHit(await viaVarnish(path)), `${path} is cached before the edit`);
    }

    const chief = await staffClient(t, 'aarav-kulkarni');
    const editor = await chief.get(`/newsroom/articles/${article.id}`);
    assert.equal(editor.statusCode, 200);
    const dek = `Corrected at ${newId()}`;
    const saved = await chief.post(`/newsroom/articles/${article.id}`, { ...articleFormValues(editor.body), dek });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    await drainJobs();

    const articlePage = await viaVarnish(showing[0]!);
    assert.ok(!isHit(articlePage), 'the article page is fetched again');
    assert.ok(articlePage.body.includes(dek), 'and shows the edit');
    for (const path of showing.slice(1)) assert.ok(!isHit(await viaVarnish(path)), `${path} lists the article, so it was purged`);
    const still = await viaVarnish(unrelated);
    assert.ok(isHit(still), 'a page not showing the article is still served from the cache');
    assert.equal(still.body, unrelatedBefore.body);
  });

  it('never serves a signed-in reader from the cache, nor stores their pages', async () => {
    const reader = await readerClient(t, `varnish-${newId()}@example.org`, 'Cached Nowhere');
    const cookie = [...reader.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    assert.match(cookie, /hb_session=/);

    const anonymous = await viaVarnish('/sections/climate');
    for (let i = 0; i < 2; i++) {
      const res = await viaVarnish('/sections/climate', { cookie });
      assert.equal(res.status, 200);
      assert.ok(!isHit(res), 'a signed-in request is never a hit');
      assert.match(res.headers.get('cache-control') ?? '', /private, no-store/);
      assert.match(res.body, /<a href="\/account\/bookmarks">Bookmarks<\/a>/, 'the page is the signed-in reader’s');
    }
    const afterwards = await viaVarnish('/sections/climate');
    assert.doesNotMatch(afterwards.body, /\/account\/bookmarks/, 'the reader’s page was not stored for anonymous visitors');
    assert.equal(afterwards.body, anonymous.body);
  });
});
