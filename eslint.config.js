// Lint for the whole tree. Besides the recommended rules it holds the module
// boundaries: a module reaches another only through that module's index.ts, the
// lower layers (web, db, lib, mail, jobs) never import a module, and the
// composition (app.ts, cli.ts, server.ts, the demo seed, ops/ with backups) uses
// modules' faces only.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const MODULES = readdirSync(new URL('./src/modules/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** Any module's file other than its index.js, reached from anywhere by a relative path. */
const DEEP_MODULE_IMPORT = String.raw`(^|/)modules/[a-z-]+/(?!index\.js$)`;

/** Inside module `own`: another module's file other than its index.js (`../people/people.admin.js`). */
function otherModulesDeep(own) {
  const others = MODULES.filter((m) => m !== own).join('|');
  return String.raw`^(\.\./)+(${others})/(?!index\.js$)`;
}

const boundaryMessage = 'Import another module through its index.js only (a module keeps its tables and files to itself).';

const moduleBoundaries = MODULES.map((own) => ({
  files: [`src/modules/${own}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ regex: otherModulesDeep(own), message: boundaryMessage }] }],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        document: 'readonly',
        window: 'readonly',
        navigator: 'readonly',
        fetch: 'readonly',
        FormData: 'readonly',
        HTMLElement: 'readonly',
        HTMLButtonElement: 'readonly',
        HTMLFormElement: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // node:test's describe/it/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      // Fastify plugins, hooks and handlers, job handlers and test doubles are async by contract, awaiting or not.
      '@typescript-eslint/require-await': 'off',
      // Fastify calls route hooks with the instance as `this`, and types its decorators (csrfProtection) as methods.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain JavaScript (this file, bin/, the build and test runners) is outside tsconfig: no type information.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/cli.ts', 'bench/**', 'scripts/**', 'e2e/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  ...moduleBoundaries,
  {
    files: ['src/{web,db,lib,mail,jobs}/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`(^|/)modules/`,
              message: 'The lower layers serve the modules and never import one: pass what they need in, or move shared UI to web/ui.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/*.ts', 'src/demo/**/*.{ts,tsx}', 'src/ops/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: DEEP_MODULE_IMPORT, message: 'Compose modules through their index.js only.' }] },
      ],
    },
  },
);
