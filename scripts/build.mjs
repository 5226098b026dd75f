// The build: bundles the server into dist/cli.js and its chunks (minified ES
// modules with source maps; a start reads a few files instead of some 700
// modules) and the front-end assets into dist/assets, fingerprinted and
// compressed, with a manifest the app reads at start-up, so that no process
// bundles or compresses anything while it starts.
//
//   node scripts/build.mjs                  everything (npm run build)
//   node scripts/build.mjs assets           the front-end assets only (tests, npm run dev)
//   node scripts/build.mjs --if-stale ...   only when the output is older than its sources
//
// esbuild is a development dependency: it is imported only when something is built.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
export const ASSETS_DIR = join(dist, 'assets');
const MANIFEST = join(ASSETS_DIR, 'manifest.json');
/** Written last by a full build: its age is the age of dist/. */
const SERVER_STAMP = join(dist, 'build.json');

const JS = 'text/javascript; charset=utf-8';
/** Each asset the app serves: its name in the manifest, its source and its type. */
const ASSETS = [
  { name: 'site.css', source: 'web/assets/site.css', type: 'text/css; charset=utf-8' },
  { name: 'site.js', source: 'web/client/site.ts', type: JS },
  { name: 'editor.js', source: 'web/client/editor.ts', type: JS },
  { name: 'prize.js', source: 'modules/competitions/client/prize.ts', type: JS },
  { name: 'compose.js', source: 'modules/newsletter/client/compose.ts', type: JS },
  { name: 'favicon.svg', source: 'web/assets/favicon.svg', type: 'image/svg+xml' },
];

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

function newestMtime(paths) {
  return Math.max(...paths.map((path) => statSync(path).mtimeMs));
}

/** True when `output` is missing or older than any file under src/ (or the build itself). */
function isStale(output) {
  if (!existsSync(output)) return true;
  const inputs = [...filesUnder(src), fileURLToPath(import.meta.url), join(root, 'package.json'), join(root, 'tsconfig.json')];
  return newestMtime(inputs) > statSync(output).mtimeMs;
}

async function bundle(esbuild, entry) {
  const css = entry.endsWith('.css');
  const built = await esbuild.build({
    entryPoints: [join(src, entry)],
    bundle: true,
    minify: true,
    write: false,
    legalComments: 'none',
    ...(css ? { loader: { '.css': 'css' }, target: ['chrome100', 'firefox100', 'safari15'] } : { format: 'iife', target: 'es2020' }),
  });
  return Buffer.from(built.outputFiles[0].contents);
}

/**
 * Writes each asset as name.<hash>.ext with .gz and .br beside it, then the manifest.
 * The manifest is replaced in one rename and files are named by their content, so a
 * process starting (or a test run) meanwhile reads either the old set or the new one.
 */
export async function buildAssets() {
  const esbuild = await import('esbuild');
  mkdirSync(ASSETS_DIR, { recursive: true });
  const manifest = {};
  for (const asset of ASSETS) {
    const body = /\.(ts|css)$/.test(asset.source) ? await bundle(esbuild, asset.source) : readFileSync(join(src, asset.source));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const dot = asset.name.lastIndexOf('.');
    const file = `${asset.name.slice(0, dot)}.${hash}${asset.name.slice(dot)}`;
    writeAtomically(join(ASSETS_DIR, file), body);
    writeAtomically(join(ASSETS_DIR, `${file}.gz`), gzipSync(body, { level: 9 }));
    writeAtomically(join(ASSETS_DIR, `${file}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    manifest[asset.name] = { file, type: asset.type, hash };
  }
  writeAtomically(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  const current = new Set(['manifest.json', ...Object.values(manifest).flatMap(({ file }) => [file, `${file}.gz`, `${file}.br`])]);
  for (const name of readdirSync(ASSETS_DIR)) if (!current.has(name) && !name.includes('.tmp-')) rmSync(join(ASSETS_DIR, name));
}

/** Readers see the old file or the new one, never half of one (another run may be reading). */
function writeAtomically(path, data) {
  writeFileSync(`${path}.tmp-${process.pid}`, data);
  renameSync(`${path}.tmp-${process.pid}`, path);
}

/**
 * Packages kept out of the bundle, loaded from node_modules when (and only when) a
 * process needs them: native addons, and libraries the code loads lazily (the AWS
 * SDK, ioredis, the database driver not in use).
 */
const EXTERNAL = ['better-sqlite3', 'pg', 'pg-native', 'sharp', '@aws-sdk/*', '@smithy/*', 'ioredis', 'esbuild'];

/** How long chunks an older build wrote stay in dist/ after a new build. */
const OLD_CHUNKS_KEPT_MS = 60 * 60 * 1000;

/** Bundled CommonJS dependencies call `require` for Node's built-ins: each output file gets one. */
const REQUIRE_BANNER =
  "import { createRequire as __harbingerCreateRequire } from 'node:module'; const require = __harbingerCreateRequire(import.meta.url);";

/**
 * Each source file's `import.meta.url` becomes the URL it would have as dist/<its path>.js,
 * so paths it reads relative to itself (dist/assets, package.json, node_modules) resolve
 * the same wherever the bundle put its code.
 */
const keepOwnUrl = {
  name: 'keep-own-url',
  setup(build) {
    build.onLoad({ filter: /[/\\]src[/\\].*\.tsx?$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const own = `./${relative(src, args.path)
        .split(sep)
        .join('/')
        .replace(/\.tsx?$/, '.js')}`;
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`),
        loader: args.path.endsWith('x') ? 'tsx' : 'ts',
      };
    });
  },
};

/**
 * Bundles the server into dist/cli.js, with its dependencies, so that a start reads a
 * few files instead of some 700 modules; each dynamic import() (the server, the demo
 * seed, the importers...) is a chunk beside it (dist/chunk-*.js), read only when used.
 * Then removes what an older build left.
 */
export async function buildServer() {
  const esbuild = await import('esbuild');
  const { outputFiles } = await esbuild.build({
    entryPoints: [join(src, 'cli.ts')],
    outdir: dist,
    outbase: src,
    bundle: true,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // Less to parse at each start; names kept for stack traces and libraries that read them.
    minify: true,
    keepNames: true,
    legalComments: 'none',
    external: EXTERNAL,
    banner: { js: REQUIRE_BANNER },
    plugins: [keepOwnUrl],
    tsconfig: join(root, 'tsconfig.json'),
    write: false,
    absWorkingDir: root,
    logLevel: 'warning',
  });
  // Chunks first and the entry last, each in one rename: a process starting meanwhile
  // reads the old entry and its chunks, or the new ones (chunks are named by content).
  const entry = join(dist, 'cli.js');
  const ordered = [...outputFiles].sort((a, b) => Number(a.path.startsWith(entry)) - Number(b.path.startsWith(entry)));
  for (const file of ordered) writeAtomically(file.path, file.contents);
  const written = new Set(outputFiles.map((file) => file.path));
  const leftovers = readdirSync(dist, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'assets')
    .flatMap((entry) => filesUnder(join(dist, entry.name)))
    .concat(
      readdirSync(dist)
        .map((name) => join(dist, name))
        .filter((path) => /\.js(\.map)?$/.test(path)),
    )
    .filter((path) => !written.has(path) && !path.includes('.tmp-'))
    // An older build's chunks stay a while, for a process that started on it and imports one later.
    .filter((path) => !/[/\\]chunk-[^/\\]+$/.test(path) || statSync(path).mtimeMs < Date.now() - OLD_CHUNKS_KEPT_MS);
  for (const path of leftovers) rmSync(path);
  // The folders the per-file build of older versions left, now empty.
  for (const entry of readdirSync(dist, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'assets' && filesUnder(join(dist, entry.name)).length === 0)
      rmSync(join(dist, entry.name), { recursive: true });
  }
  writeFileSync(SERVER_STAMP, `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
}

/** Builds what is asked for; with `ifStale`, only the parts older than the sources. */
export async function build({ assetsOnly = false, ifStale = false } = {}) {
  mkdirSync(dist, { recursive: true });
  const built = [];
  if (!ifStale || isStale(MANIFEST)) {
    await buildAssets();
    built.push('assets');
  }
  if (!assetsOnly && (!ifStale || isStale(SERVER_STAMP))) {
    await buildServer();
    built.push('server');
  }
  return built;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const started = Date.now();
  const built = await build({ assetsOnly: args.includes('assets'), ifStale: args.includes('--if-stale') });
  if (built.length > 0) console.error(`Built ${built.join(' and ')} into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
