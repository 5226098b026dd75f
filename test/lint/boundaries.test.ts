// The module boundaries are enforced by ESLint (eslint.config.js): these tests
// lint small snippets as if they sat in the tree, so a change to the rules that
// stops catching a deep import or a lower layer importing a module fails here.
// The last test reads the tree itself: modules' imports of each other form no cycle.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const root = fileURLToPath(new URL('../../', import.meta.url));
// The snippets are not files of the TypeScript project, so they are linted without type information.
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });

/** The boundary complaints ESLint has about `code` placed at `path` (relative to the project). */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('a module importing another module past its index.js fails', async () => {
  const fromRoot = await boundaryErrors('src/modules/newsroom/example.ts', "export { peopleAdmin } from '../people/people.admin.js';\n");
  assert.equal(fromRoot.length, 1);
  assert.match(fromRoot[0] ?? '', /through its index\.js/);
  const fromViews = await boundaryErrors(
    'src/modules/articles/views/example.tsx',
    "export { BookmarkControl } from '../../reading/views/controls.js';\n",
  );
  assert.equal(fromViews.length, 1);
});

test('a module importing another module through its index.js, or its own files, passes', async () => {
  const code = "export { peopleAdmin } from '../people/index.js';\nexport { STATUS_LABELS } from './newsroom.service.js';\n";
  assert.deepEqual(await boundaryErrors('src/modules/newsroom/example.ts', code), []);
  const views = "export { StatusBadge } from './desk-pages.js';\nexport { CsrfField } from '../../../web/forms.js';\n";
  assert.deepEqual(await boundaryErrors('src/modules/newsroom/views/example.tsx', views), []);
});

test('a lower layer importing a module fails, even through its index.js', async () => {
  for (const path of ['src/web/example.tsx', 'src/db/example.ts', 'src/lib/example.ts', 'src/mail/example.ts', 'src/jobs/example.ts']) {
    const errors = await boundaryErrors(path, "export { NewsletterService } from '../modules/newsletter/index.js';\n");
    assert.equal(errors.length, 1, path);
  }
  assert.deepEqual(await boundaryErrors('src/web/example.tsx', "export { NewsroomLayout } from './ui/newsroom-layout.js';\n"), []);
});

test('the composition (app.ts, the demo seed) uses modules through their index.js only', async () => {
  assert.equal(
    (await boundaryErrors('src/app.ts', "export { prizeRoutes } from './modules/competitions/competitions.routes.js';\n")).length,
    1,
  );
  assert.equal((await boundaryErrors('src/demo/seed.ts', "export { seedDemoPrize } from '../modules/competitions/demo.js';\n")).length, 1);
  assert.deepEqual(await boundaryErrors('src/app.ts', "export { registerCompetitions } from './modules/competitions/index.js';\n"), []);
});

/** Module → the other modules its files import (type-only imports included), from the files under src/modules. */
function moduleGraph(): Map<string, Set<string>> {
  const modulesDir = join(root, 'src/modules');
  const graph = new Map<string, Set<string>>();
  const files = readdirSync(modulesDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
  for (const file of files) {
    const own = file.split(/[\\/]/)[0]!;
    const targets = graph.get(own) ?? new Set<string>();
    graph.set(own, targets);
    for (const [, specifier] of readFileSync(join(modulesDir, file), 'utf8').matchAll(/\bfrom\s+'(\.[^']+)'/g)) {
      const target = relative(modulesDir, resolve(dirname(join(modulesDir, file)), specifier!)).split(/[\\/]/)[0]!;
      if (target !== own && !target.startsWith('..')) targets.add(target);
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the modules along it. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const walk = (node: string, path: string[]) => {
    if (path.includes(node)) return void found.push([...path.slice(path.indexOf(node)), node]);
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) walk(next, [...path, node]);
    done.add(node);
  };
  for (const node of graph.keys()) walk(node, []);
  return found;
}

test('modules import each other without a cycle', () => {
  const graph = moduleGraph();
  assert.ok(graph.size >= 8, 'the modules were found');
  assert.ok(graph.get('articles')?.has('people'), 'bylines: articles build on people');
  assert.deepEqual(
    cycles(graph).map((c) => c.join(' → ')),
    [],
  );
});

test('the cycle check finds a cycle', () => {
  const graph = new Map([
    ['articles', new Set(['people'])],
    ['people', new Set(['media', 'articles'])],
    ['media', new Set<string>()],
  ]);
  assert.deepEqual(cycles(graph), [['articles', 'people', 'articles']]);
});
