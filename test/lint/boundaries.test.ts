// The module boundaries are enforced by ESLint (eslint.config.js): these tests
// lint small snippets as if they sat in the tree, so a change to the rules that
// stops catching a deep import or a lower layer importing a module fails here.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The boundary complaints ESLint has about `code` placed at `path` (relative to the project). */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('a module importing another module past its index.js fails', async () => {
  const fromRoot = await boundaryErrors('src/modules/newsroom/example.ts', "export { peopleAdmin } from '../people/people.admin.js';\n");
  assert.equal(fromRoot.length, 1);
  assert.match(fromRoot[0] ?? '', /through its index\.js/);
  const fromViews = await boundaryErrors('src/modules/articles/views/example.tsx', "export { BookmarkControl } from '../../reading/views/controls.js';\n");
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
  assert.equal((await boundaryErrors('src/app.ts', "export { prizeRoutes } from './modules/competitions/competitions.routes.js';\n")).length, 1);
  assert.equal((await boundaryErrors('src/demo/seed.ts', "export { seedDemoPrize } from '../modules/competitions/demo.js';\n")).length, 1);
  assert.deepEqual(await boundaryErrors('src/app.ts', "export { registerCompetitions } from './modules/competitions/index.js';\n"), []);
});
