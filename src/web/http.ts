// Small helpers shared by the page routes: sending HTML (cached or not), content
// negotiation, paginating list pages (their `?page=` is web/schemas' `page`), and
// the checks every request's input passes before its route's schema.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CachedPage } from './render-cache.js';
import { BadRequestError, NotFoundError } from './errors.js';
import { setSurrogateHeaders } from './surrogate-keys.js';
import { htmlOf } from './view.js';

export const HTML = 'text/html; charset=utf-8';

export function sendHtml(reply: FastifyReply, view: JSX.Element, status = 200): FastifyReply {
  return reply.code(status).type(HTML).header('cache-control', 'no-store').send(htmlOf(view));
}

/** The Cache-Control of an anonymous page a CDN may keep (CACHE_S_MAXAGE, CACHE_STALE_WHILE_REVALIDATE). */
export function publicCacheControl(cache: { sMaxAge: number; staleWhileRevalidate: number }, maxAge = 60): string {
  return `public, max-age=${maxAge}, s-maxage=${cache.sMaxAge}, stale-while-revalidate=${cache.staleWhileRevalidate}`;
}

/** True when the browser's copy (If-None-Match, else If-Modified-Since) is still the one we would send. */
export function isNotModified(request: FastifyRequest, etag: string, lastModified: string | null): boolean {
  const tags = request.headers['if-none-match'];
  if (tags !== undefined) return tags === '*' || tags.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  return lastModified !== null && !Number.isNaN(since) && Date.parse(lastModified) <= since;
}

/**
 * Sends a rendered page from the render cache with a strong ETag (and Last-Modified
 * when the page knows it), answering 304 when the browser already has it and gzip
 * when it accepts it. An anonymous page may be kept by shared caches (a CDN,
 * Varnish) and names what it shows in Surrogate-Key / Cache-Tag, so that a change
 * purges it; a signed-in viewer's page is private and never stored.
 */
export function sendCachedPage(request: FastifyRequest, reply: FastifyReply, page: CachedPage, shared: boolean): FastifyReply {
  reply.code(page.status).header('content-type', HTML).header('etag', page.etag).header('vary', 'Accept-Encoding, Cookie');
  if (page.lastModified) reply.header('last-modified', page.lastModified);
  // A route that made the answer this visitor's own (the wall's meter sets a cookie) has said so already.
  const own = reply.hasHeader('set-cookie') || /\bprivate\b|\bno-store\b/.test(String(reply.getHeader('cache-control') ?? ''));
  if (shared && !own) {
    reply.header('cache-control', publicCacheControl(request.server.config.cache));
    setSurrogateHeaders(reply, page.keys);
  } else {
    reply.header('cache-control', 'private, no-store');
  }
  if (isNotModified(request, page.etag, page.lastModified)) return reply.code(304).send();
  if (page.gzip && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
    return reply.header('content-encoding', 'gzip').send(page.gzip);
  }
  return reply.send(page.body);
}

export function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/') || /\.json(\?|$)/.test(request.url)) return true;
  const accept = request.headers.accept ?? '';
  return /application\/(problem\+)?json/.test(accept) && !/text\/html/.test(accept);
}

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  offset: number;
}

/** Checks the page against the total; a page past the end is a 404, like an unknown address. */
export function paginate(page: number, pageSize: number, total: number): Pagination {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (page > pages) throw new NotFoundError('There is no page with that number: the list is shorter.');
  return { page, pageSize, total, pages, offset: (page - 1) * pageSize };
}

// --- What every route may be sent ---
// A browser's form sends text fields, some of them more than once (a checkbox
// group, a multiple select); a hand-made request can send anything: numbers,
// objects and nulls in JSON, a field repeated where one value is expected, NUL
// characters PostgreSQL cannot store. Handlers are written for text, so one hook
// checks the shape before any of them (and before the CSRF check) runs, and
// another takes NUL characters out of what was typed (losing a writer's text
// over an invisible character would be worse than dropping it).

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Fields (in the body or the query) this route takes more than once: a checkbox group, a multiple select. */
    listFields?: readonly string[];
    /** The route takes a JSON document of its own shape (autosave, scores) and checks it with its own schema. */
    jsonDocument?: boolean;
  }
}

const NUL = '\u0000';

function fieldLabel(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}

/** The same value without NUL characters, changed in place; nesting deeper than any form's is left to the route's schema. */
export function withoutNul(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.includes(NUL) ? value.replaceAll(NUL, '') : value;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || depth > 100) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = withoutNul(record[key], depth + 1);
  return value;
}

/** A query or a form: an object whose values are text, or lists of text for the fields the route takes more than once. */
export function checkFlatInput(source: unknown, where: 'query' | 'body', listFields: readonly string[] = []): void {
  if (source === undefined) return;
  if (source === null || typeof source !== 'object' || Array.isArray(source)) {
    throw new BadRequestError(
      where === 'body' ? 'What was sent is not a form: send the fields of the form.' : 'The address has a query we cannot read.',
      'invalid_input',
    );
  }
  for (const [name, value] of Object.entries(source as Record<string, unknown>)) {
    if (name.includes(NUL)) throw new BadRequestError('A field name contains a character that cannot be stored (NUL).', 'invalid_input');
    if (typeof value === 'string' || (Array.isArray(value) && listFields.includes(name) && value.every((v) => typeof v === 'string'))) {
      continue;
    } else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      throw new BadRequestError(`The field “${fieldLabel(name)}” was sent more than once; it takes one value.`, 'invalid_input');
    } else {
      throw new BadRequestError(`The field “${fieldLabel(name)}” must be text.`, 'invalid_input');
    }
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A Location header as bytes HTTP allows: every character outside printable ASCII
 * percent-encoded as UTF-8 (a `next=/€` would otherwise make Node refuse the
 * header after the handler's work was done, a session half made).
 */
export function asciiLocation(location: string): string {
  return location.replace(LONE_SURROGATE, '\ufffd').replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

/** Installs the checks on every route: the shape of queries, bodies and path parameters, and redirect targets. */
export function guardRequests(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const config = request.routeOptions.config as { listFields?: readonly string[]; jsonDocument?: boolean } | undefined;
    // No address has a NUL in it (and PostgreSQL could not even look one up).
    for (const value of Object.values((request.params ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string' && value.includes(NUL)) throw new NotFoundError();
    }
    checkFlatInput(request.query, 'query', config?.listFields);
    // Multipart forms are read part by part by their routes, which keep only text fields.
    if (/^multipart\//i.test(request.headers['content-type'] ?? '')) return;
    if (config?.jsonDocument) {
      if (request.body !== undefined && (request.body === null || typeof request.body !== 'object' || Array.isArray(request.body))) {
        throw new BadRequestError('What was sent is not a JSON object.', 'invalid_input');
      }
      return;
    }
    checkFlatInput(request.body, 'body', config?.listFields);
  });

  // After every preValidation, so multipart routes have put their text fields in the body.
  app.addHook('preHandler', async (request) => {
    withoutNul(request.query);
    withoutNul(request.body);
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    const location = reply.getHeader('location');
    if (typeof location === 'string' && /[^\x21-\x7e]/.test(location)) reply.header('location', asciiLocation(location));
    return payload;
  });
}
