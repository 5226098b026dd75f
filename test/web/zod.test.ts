// How a route's zod schemas answer: typed values for the handler, a 400 naming the
// field for a form or query that does not fit, a 400 or a 404 for a malformed
// address, and routes that still declare JSON schemas left to Fastify's validator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyError, type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import formbody from '@fastify/formbody';
import { z } from 'zod';
import { AppError } from '../../src/web/errors.js';
import { field, idParams, list, page, slugParams } from '../../src/web/schemas.js';
import { zodRoutes } from '../../src/web/zod.js';

let app: FastifyInstance;
const answer = (res: LightMyRequestResponse) => res.json<{ message: string; code: string }>();

before(async () => {
  app = Fastify();
  await app.register(formbody);
  app.setErrorHandler(async (error: FastifyError, _request, reply) => {
    const status = error instanceof AppError ? error.status : (error.statusCode ?? 500);
    return reply.code(status).send({ message: error.message, code: error.code });
  });
  await app.register(async (scope) => {
    const routes = zodRoutes(scope);
    routes.get('/items/:id', { schema: { params: idParams, querystring: z.object({ page }) } }, async (request) => ({
      id: request.params.id,
      next: request.query.page + 1,
    }));
    routes.get('/sections/:slug', { schema: { params: slugParams } }, async (request) => ({ slug: request.params.slug }));
    routes.post(
      '/form',
      { schema: { body: z.object({ title: field, tags: list, year: z.string().regex(/^\d{4}$/, 'Write the year as four digits.') }) } },
      async (request) => request.body,
    );
    // A JSON schema in the same plugin keeps Fastify's own validator.
    routes.get(
      '/json/:code',
      { schema: { params: { type: 'object', properties: { code: { type: 'string', pattern: '^[a-z]+$' } } } } },
      async () => ({ ok: true }),
    );
  });
  await app.ready();
});

after(async () => {
  await app.close();
});

const id = '01990000-0000-7000-8000-000000000000';

describe('zod schemas on routes', () => {
  it('hands the handler the parsed values', async () => {
    const res = await app.inject(`/items/${id}?page=2`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { id, next: 3 });
    assert.deepEqual((await app.inject(`/items/${id}`)).json(), { id, next: 2 }, 'an absent page is the first');
  });

  it('answers a bad page number with the words of its schema', async () => {
    const res = await app.inject(`/items/${id}?page=0`);
    assert.equal(res.statusCode, 400);
    assert.equal(answer(res).message, 'The page number must be a whole number from 1 upwards.');
  });

  it('answers an address that cannot be an id with 404, and a malformed slug with 400', async () => {
    assert.equal((await app.inject('/items/not-an-id')).statusCode, 404);
    const res = await app.inject('/sections/UPPER_case');
    assert.equal(res.statusCode, 400);
    assert.equal(answer(res).code, 'invalid_request');
  });

  it('fills absent fields, makes lists of repeated ones, and names the field that does not fit', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: '/form',
      payload: 'tags=a&year=2026',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.deepEqual(ok.json(), { title: '', tags: ['a'], year: '2026' });
    const refused = await app.inject({ method: 'POST', url: '/form', payload: { title: 5, year: '2026' } });
    assert.equal(refused.statusCode, 400);
    assert.equal(answer(refused).message, 'The field “title” must be text.');
    assert.equal(answer(refused).code, 'invalid_input');
    const missing = await app.inject({ method: 'POST', url: '/form', payload: {} });
    assert.equal(answer(missing).message, 'The field “year” is missing.');
    const wrong = await app.inject({ method: 'POST', url: '/form', payload: { year: '26' } });
    assert.equal(answer(wrong).message, 'Write the year as four digits.');
  });

  it('leaves routes with JSON schemas to Fastify’s validator', async () => {
    assert.equal((await app.inject('/json/abc')).statusCode, 200);
    assert.equal((await app.inject('/json/ABC')).statusCode, 400);
  });
});
