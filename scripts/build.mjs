// The build: compiles src/ to dist/ (one ES module per source file, with source
// maps) and bundles the front-end assets into dist/assets, fingerprinted and
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
import { dirname, join } from 'node:path';
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
 * Transpiles every server source file to dist/ as it is (no bundling), so relative
 * imports keep working; then removes what an older build left for deleted sources.
 */
export async function buildServer() {
  const esbuild = await import('esbuild');
  const sources = filesUnder(src).filter((path) => /\.tsx?$/.test(path) && !path.endsWith('.d.ts') && !/[/\\]client[/\\]/.test(path));
  const { metafile } = await esbuild.build({
    entryPoints: sources,
    outdir: dist,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    tsconfig: join(root, 'tsconfig.json'),
    metafile: true,
    // The metafile names outputs relative to this folder.
    absWorkingDir: root,
    logLevel: 'warning',
  });
  const written = new Set(Object.keys(metafile.outputs).map((path) => join(root, path)));
  const leftovers = readdirSync(dist, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'assets')
    .flatMap((entry) => filesUnder(join(dist, entry.name)))
    .concat(
      readdirSync(dist)
        .map((name) => join(dist, name))
        .filter((path) => /\.js(\.map)?$/.test(path)),
    )
    .filter((path) => !written.has(path));
  for (const path of leftovers) rmSync(path);
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
