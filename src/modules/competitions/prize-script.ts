// The prize pages' small script (client/prize.ts), bundled once per process and
// served as an immutable, fingerprinted file by this module's routes, so the
// rest of the site does not carry it.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

export interface PrizeScript {
  path: string;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

let built: PrizeScript | null = null;

export function prizeScript(): PrizeScript {
  if (built) return built;
  const out = buildSync({
    entryPoints: [fileURLToPath(new URL('./client/prize.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    legalComments: 'none',
  });
  const body = Buffer.from(out.outputFiles[0]!.contents);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  built = { path: `/prize-assets/prize.${hash}.js`, body, gzip: gzipSync(body, { level: 9 }), etag: `"${hash}"` };
  return built;
}
