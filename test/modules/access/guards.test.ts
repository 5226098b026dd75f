// The guards on a small app of their own: a request's roles are loaded once
// however often they are asked for; visitors are sent to sign in (scripts get a
// 401), people a rule leaves out get a 403, and a handler without a guard fails
// loudly instead of acting for nobody.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  canOrganise,
  registerAccess,
  requireReader,
  requireStaff,
  staffOf,
  readerOf,
  type HeldRole,
} from '../../../src/modules/access/index.js';
import { installErrorHandlers } from '../../../src/web/error-handler.js';
import type { Viewer } from '../../../src/web/viewer.js';

const viewers: Record<string, Viewer> = {
  writer: {
    userId: 'u-writer',
    displayName: 'W',
    email: 'w@example.org',
    sessionId: 's1',
    staff: { personId: 'p-writer', slug: 'w', name: 'Writer' },
  },
  chief: {
    userId: 'u-chief',
    displayName: 'C',
    email: 'c@example.org',
    sessionId: 's2',
    staff: { personId: 'p-chief', slug: 'c', name: 'Chief' },
  },
  reader: { userId: 'u-reader', displayName: 'R', email: 'r@example.org', sessionId: 's3', staff: null },
};
const roles: Record<string, HeldRole[]> = {
  'p-writer': [{ role: 'staff_writer', sectionId: null }],
  'p-chief': [{ role: 'editor_in_chief', sectionId: null }],
};

async function appWithGuards(): Promise<{ app: FastifyInstance; loads: string[] }> {
  const loads: string[] = [];
  const app = Fastify({ logger: false });
  app.decorateRequest('viewer', null);
  app.addHook('onRequest', async (request) => {
    request.viewer = viewers[String(request.headers['x-who'])] ?? null;
  });
  registerAccess(app, {
    rolesOf: async (personId) => {
      loads.push(personId);
      return roles[personId] ?? [];
    },
  });
  installErrorHandlers(app, async (path) => ({ path }) as never);
  const prizes = requireStaff({ may: canOrganise, refusal: 'Prizes are for organisers.', home: '/desk' });
  app.get('/desk', { onRequest: prizes }, async (request) => {
    await request.actor();
    await request.actor();
    return { name: staffOf(request).name };
  });
  app.post('/desk/thing', { onRequest: prizes }, async () => ({ ok: true }));
  app.get('/mine', { onRequest: requireReader() }, async (request) => ({ user: readerOf(request).userId }));
  app.get('/unguarded', async (request) => ({ name: staffOf(request).name }));
  await app.ready();
  return { app, loads };
}

describe('access guards', () => {
  it('loads a request’s roles once, however often they are asked for', async () => {
    const { app, loads } = await appWithGuards();
    const res = await app.inject({ url: '/desk', headers: { 'x-who': 'chief', accept: 'application/json' } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { name: 'Chief' });
    assert.deepEqual(loads, ['p-chief']);
  });

  it('sends visitors to sign in (a form post comes back to its desk), answers 401 to scripts, 403 to those the rule leaves out', async () => {
    const { app } = await appWithGuards();
    const page = await app.inject({ url: '/desk?x=1' });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, `/account/sign-in?next=${encodeURIComponent('/desk?x=1')}`);
    const post = await app.inject({ method: 'POST', url: '/desk/thing' });
    assert.equal(post.headers.location, `/account/sign-in?next=${encodeURIComponent('/desk')}`);
    assert.equal((await app.inject({ url: '/desk', headers: { accept: 'application/json' } })).statusCode, 401);
    for (const who of ['writer', 'reader']) {
      assert.equal((await app.inject({ url: '/desk', headers: { 'x-who': who, accept: 'application/json' } })).statusCode, 403, who);
    }
  });

  it('lets any signed-in account through a reader guard', async () => {
    const { app } = await appWithGuards();
    assert.deepEqual((await app.inject({ url: '/mine', headers: { 'x-who': 'reader' } })).json(), { user: 'u-reader' });
    assert.equal((await app.inject({ url: '/mine' })).statusCode, 303);
  });

  it('fails loudly when a handler asks for a staff member its route never guarded', async () => {
    const { app } = await appWithGuards();
    assert.equal((await app.inject({ url: '/unguarded', headers: { 'x-who': 'chief', accept: 'application/json' } })).statusCode, 500);
  });
});
