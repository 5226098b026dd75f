import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import type { RoleName } from '../../db/schema.js';
import { NotFoundError } from '../../web/errors.js';
import { zodRoutes } from '../../web/zod.js';
import { privatePictureFile, servedKey } from './media.service.js';
import type { PictureSigner } from './signing.js';
import { contentTypeOf, IMMUTABLE, type MediaStorage } from './storage.js';

/**
 * Served files are a picture's master (`<key>-full.<ext>`) and its variants
 * (`<key>-<width>.<ext>`). The uploaded original (`<key>.<ext>`) has no address:
 * it lives under private/ in the media store, and the pattern refuses its name anyway.
 */
const FILE_RE = /^[0-9a-f]{64}-([0-9]{1,5}|full)\.(avif|webp|jpg|png)$/;
const NOT_HERE = 'There is no picture at this address.';
const fileParams = z.object({ file: z.string().regex(FILE_RE, NOT_HERE) });
/** A private picture's link for a mail reader or a judge's export: it expires, and is signed. */
const signedQuery = z.object({ expires: z.string().optional(), sig: z.string().optional() });

export interface MediaRoutesOptions {
  db: Db;
  storage: MediaStorage;
  signer: PictureSigner;
  /** Whether the signed-in viewer may see this private picture (its entrant, the prize's organisers). */
  canViewPrivate: (viewer: { userId: string; roles: { role: RoleName; sectionId: string | null }[] }, mediaId: string) => Promise<boolean>;
}

async function sendFile(reply: FastifyReply, storage: MediaStorage, key: string, file: string): Promise<FastifyReply | null> {
  const found = await storage.open(key);
  if (!found) return null;
  return reply
    .header('content-type', contentTypeOf(file))
    .header('content-length', found.size)
    .header('x-content-type-options', 'nosniff')
    .send(found.body);
}

/** Serves stored pictures: public ones at /media, private ones (prize entries) at /entry-photos to those allowed. */
export async function mediaRoutes(fastify: FastifyInstance, opts: MediaRoutesOptions): Promise<void> {
  const app = zodRoutes(fastify);
  app.get('/media/:file', { schema: { params: fileParams } }, async (request, reply) => {
    const { file } = request.params;
    const key = `public/${file}`;
    const elsewhere = opts.storage.publicUrl(file);
    if (elsewhere !== null) {
      // Pages name the bucket's public address themselves; this answers old links
      // (a saved email, a feed read before the move) without the app carrying the bytes.
      if (!(await opts.storage.stat(key))) throw new NotFoundError(NOT_HERE);
      return reply.header('cache-control', 'public, max-age=86400').redirect(elsewhere, 302);
    }
    if (!(await opts.storage.stat(key))) throw new NotFoundError(NOT_HERE);
    const etag = `"${file.slice(0, 24)}${file.slice(64)}"`;
    // Names never change their bytes, and any site may show them: webmail shows
    // the newsletter's pictures from its own origin.
    reply.header('cache-control', IMMUTABLE).header('cross-origin-resource-policy', 'cross-origin').header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return (await sendFile(reply, opts.storage, key, file)) ?? reply.callNotFound();
  });

  app.get('/entry-photos/:file', { schema: { params: fileParams, querystring: signedQuery } }, async (request, reply) => {
    const { file } = request.params;
    // Answers that differ by who asks are never stored by a shared cache, nor embedded elsewhere.
    reply.header('cache-control', 'private, no-store').header('cross-origin-resource-policy', 'same-origin');
    const row = await privatePictureFile(opts.db, file);
    if (!row) {
      // Results are out and the picture with them: it has a public address now.
      if (!opts.storage.keepsPrivate) throw new NotFoundError(NOT_HERE);
      if (await opts.storage.stat(`public/${file}`)) return reply.redirect(opts.storage.publicUrl(file) ?? `/media/${file}`, 301);
      throw new NotFoundError(NOT_HERE);
    }
    const signed = opts.signer.verify(file, request.query.expires, request.query.sig);
    const allowed =
      signed ||
      (request.viewer !== null &&
        (await opts.canViewPrivate({ userId: request.viewer.userId, roles: (await request.actor())?.roles ?? [] }, row.id)));
    // The same answer as for no picture at all: a stranger learns nothing.
    if (!allowed) throw new NotFoundError(NOT_HERE);
    return (await sendFile(reply, opts.storage, servedKey(row, file), file)) ?? reply.callNotFound();
  });
}
