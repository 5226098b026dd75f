// Small helpers shared by the page routes: sending HTML (cached or not), content
// negotiation, and parsing the query parameters every list page takes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedPage } from './render-cache.js';
import { BadRequestError, NotFoundError } from './errors.js';

export const HTML = 'text/html; charset=utf-8';

export function sendHtml(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.code(status).type(HTML).header('cache-control', 'no-store').send(html);
}

/**
 * Sends a rendered page from the render cache with an ETag, answering 304 when the
 * browser already has it and gzip when it accepts it. Anonymous pages may be kept
 * by shared caches for a short while; every change to content moves the ETag on.
 */
export function sendCachedPage(request: FastifyRequest, reply: FastifyReply, page: CachedPage): FastifyReply {
  reply.code(page.status).header('content-type', HTML).header('etag', page.etag).header('vary', 'Accept-Encoding, Cookie');
  reply.header('cache-control', 'public, max-age=0, s-maxage=60, must-revalidate');
  if (request.headers['if-none-match'] === page.etag) return reply.code(304).send();
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

/** `?page=` as a positive integer: absent means 1, anything malformed is a 400. */
export function parsePage(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.page;
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,5}$/.test(raw)) {
    throw new BadRequestError('The page number must be a whole number from 1 upwards.', 'invalid_page');
  }
  return Number(raw);
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

