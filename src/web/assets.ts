// The site's stylesheet and client script, built once at start-up, fingerprinted
// by content hash, kept in memory with their gzip and brotli encodings, and served
// as immutable files.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

export interface Asset {
  path: string;
  type: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

export interface Assets {
  /** URL of the fingerprinted icon. */
  icon: string;
  /** URL of the fingerprinted stylesheet. */
  css: string;
  /** URL of the fingerprinted reader script. */
  js: string;
  /** URL of the newsroom's article editor (TipTap), loaded on editor pages only. */
  editorJs: string;
  byPath: Map<string, Asset>;
}

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

function makeAsset(name: string, ext: string, type: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return {
    path: `/assets/${name}.${hash}.${ext}`,
    type,
    body,
    gzip: gzipSync(body, { level: 9 }),
    br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    etag: `"${hash}"`,
  };
}

/** Removes comments and collapses white space; the stylesheet is hand-written and has no strings that need it. */
export function minifyCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{}:;,>])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();
}

export function buildAssets(): Assets {
  const css = makeAsset('site', 'css', 'text/css; charset=utf-8', Buffer.from(minifyCss(readFileSync(here('./assets/site.css'), 'utf8'))));
  const js = makeAsset('site', 'js', 'text/javascript; charset=utf-8', bundle('./client/site.ts'));
  const editor = makeAsset('editor', 'js', 'text/javascript; charset=utf-8', bundle('./client/editor.ts'));
  const icon = makeAsset('favicon', 'svg', 'image/svg+xml', readFileSync(here('./assets/favicon.svg')));
  return { css: css.path, js: js.path, editorJs: editor.path, icon: icon.path, byPath: new Map([css, js, editor, icon].map((a) => [a.path, a])) };
}

function bundle(entry: string): Buffer {
  const built = buildSync({
    entryPoints: [here(entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    legalComments: 'none',
  });
  return Buffer.from(built.outputFiles[0]!.contents);
}
