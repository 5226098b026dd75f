// The site's stylesheet and client scripts, built, fingerprinted and compressed by
// `npm run build` (scripts/build.mjs) into dist/assets, and read here from its
// manifest once per process, kept in memory and served as immutable files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

interface ManifestEntry {
  file: string;
  type: string;
  hash: string;
}

// src/web and dist/web are both two folders below the project root, so sources
// run by tsx and the compiled server find the same build.
const ASSETS_DIR = fileURLToPath(new URL('../../dist/assets/', import.meta.url));

let manifest: Record<string, ManifestEntry> | null = null;

function readManifest(): Record<string, ManifestEntry> {
  try {
    return (manifest ??= JSON.parse(readFileSync(`${ASSETS_DIR}manifest.json`, 'utf8')) as Record<string, ManifestEntry>);
  } catch (err) {
    throw new Error(`The front-end assets are not built (${ASSETS_DIR}manifest.json): run \`npm run build\`.`, { cause: err });
  }
}

const cache = new Map<string, Asset>();

/**
 * One built asset by its manifest name (`site.css`, `prize.js`), served under
 * `prefix` (a module may serve its own script under its own address).
 */
export function builtAsset(name: string, prefix = '/assets/'): Asset {
  const key = `${prefix}${name}`;
  const known = cache.get(key);
  if (known) return known;
  const entry = readManifest()[name];
  if (!entry) throw new Error(`The asset manifest has no ${name}: run \`npm run build\`.`);
  const file = `${ASSETS_DIR}${entry.file}`;
  const asset = {
    path: `${prefix}${entry.file}`,
    type: entry.type,
    body: readFileSync(file),
    gzip: readFileSync(`${file}.gz`),
    br: readFileSync(`${file}.br`),
    etag: `"${entry.hash}"`,
  };
  cache.set(key, asset);
  return asset;
}

/** The assets every page may link to, served under /assets/. */
export function loadAssets(): Assets {
  const [css, js, editor, icon] = [builtAsset('site.css'), builtAsset('site.js'), builtAsset('editor.js'), builtAsset('favicon.svg')];
  const byPath = new Map([css, js, editor, icon].map((a) => [a.path, a]));
  return { css: css.path, js: js.path, editorJs: editor.path, icon: icon.path, byPath };
}
