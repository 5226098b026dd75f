#!/usr/bin/env node
// The `harbinger` command (`npx harbinger`, `npm start`, `npm run harbinger --`):
// it runs the compiled server in dist/. In a checkout it first builds dist/ when
// dist/ is missing or older than src/, which needs the development dependencies
// (esbuild); a deployment without them runs `npm run build` before `npm prune --omit=dev`.
import { build } from '../scripts/build.mjs';

try {
  await build({ ifStale: true });
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  console.error('dist/ is missing or older than src/, and building it needs the development dependencies:');
  console.error('run `npm install`, then `npm run build`.');
  process.exit(1);
}
process.setSourceMapsEnabled(true);
await import('../dist/cli.js');
