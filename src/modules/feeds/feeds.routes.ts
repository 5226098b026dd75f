// The feed addresses: /feed.xml, /feed.atom and /feed.json for the whole site,
// and the same under each section, tag, person and newsroom page. Answers carry
// an ETag and Last-Modified, and a feed reader that has the current feed gets 304.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FEED_FORMATS, type FeedFile } from '../../web/feed-links.js';
import { slugParams } from '../../web/schemas.js';
import { FEEDS, setSurrogateHeaders, SITE } from '../../web/surrogate-keys.js';
import { zodRoutes } from '../../web/zod.js';
import type { BuiltFeed, FeedsService, ListKind } from './feeds.service.js';

const LISTS: Exclude<ListKind, 'site'>[] = ['sections', 'tags', 'people', 'newsrooms'];

/** Whether the reader's copy is current: If-None-Match decides when sent, else If-Modified-Since. */
function isFresh(request: FastifyRequest, feed: BuiltFeed): boolean {
  const tags = request.headers['if-none-match'];
  if (tags !== undefined) return tags.split(',').some((t) => t.trim().replace(/^W\//, '') === feed.etag || t.trim() === '*');
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  return feed.lastModified !== null && !Number.isNaN(since) && feed.lastModified.getTime() <= since;
}

function sendFeed(request: FastifyRequest, reply: FastifyReply, feed: BuiltFeed): FastifyReply {
  reply.header('etag', feed.etag).header('cache-control', 'public, max-age=300, must-revalidate');
  // Every content change that reaches a feed names `feeds`, so a CDN drops them all at once.
  setSurrogateHeaders(reply, [SITE, FEEDS]);
  if (feed.lastModified) reply.header('last-modified', feed.lastModified.toUTCString());
  if (isFresh(request, feed)) return reply.code(304).send();
  return reply.type(feed.type).send(feed.body);
}

export async function feedsRoutes(fastify: FastifyInstance, opts: { feeds: FeedsService }): Promise<void> {
  const app = zodRoutes(fastify);
  const { feeds } = opts;
  for (const file of Object.keys(FEED_FORMATS) as FeedFile[]) {
    app.get(`/${file}`, async (request, reply) => sendFeed(request, reply, await feeds.feed('site', '', file)));
    for (const kind of LISTS) {
      app.get(`/${kind}/:slug/${file}`, { schema: { params: slugParams } }, async (request, reply) =>
        sendFeed(request, reply, await feeds.feed(kind, request.params.slug, file)),
      );
    }
  }
}
