import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../web/errors.js';

const FILE_RE = /^[0-9a-f]{64}(-[0-9]{1,5})?\.(avif|webp|jpg|png)$/;
const TYPES: Record<string, string> = { avif: 'image/avif', webp: 'image/webp', jpg: 'image/jpeg', png: 'image/png' };

/** Serves stored pictures. Names are content hashes, so every file is immutable. */
export async function mediaRoutes(app: FastifyInstance, opts: { mediaDir: string }): Promise<void> {
  app.get<{ Params: { file: string } }>('/media/:file', async (request, reply) => {
    const { file } = request.params;
    if (!FILE_RE.test(file)) throw new NotFoundError('There is no picture at this address.');
    const path = join(opts.mediaDir, file);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new NotFoundError('There is no picture at this address.');
    const etag = `"${file.slice(0, 24)}"`;
    reply
      .header('content-type', TYPES[file.split('.').pop()!]!)
      .header('content-length', info.size)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(createReadStream(path));
  });
}
