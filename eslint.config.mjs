// Lint: typescript-eslint's recommended rules, Prettier for layout, and the module boundaries of
// docs/architecture.md written as import restrictions (core `no-restricted-imports`, no plugin needed).
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The feature modules: every folder directly under src/. */
const modules = readdirSync(new URL('./src', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A module's own files may reach its repositories; another module's repository is not part of its surface. */
const foreignRepositories = modules.map((name) => ({
  files: [`src/${name}/**/*.ts`],
  ignores: ['src/**/*.spec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(\\.\\./)+(?!${escape(name)}/)[^./][^/]*/(.+/)?[^/]+\\.repository$`,
            message: "Another module's repository is private to it: use the service it exports (docs/architecture.md).",
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Raw rows from `manager.query` and json_build_object are untyped by nature; they are mapped at once.
      '@typescript-eslint/no-explicit-any': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  ...foreignRepositories,
  {
    files: ['src/**/*.controller.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '\\.repository$', message: 'Controllers call services; queries live behind them (docs/style.md).' }] },
      ],
    },
  },
  {
    // Pure rules: no framework, no database. Unit-tested without either.
    files: ['src/**/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^@nestjs/', message: 'domain/ holds pure logic: no Nest imports.' },
            { regex: '^typeorm$|^pg$', message: 'domain/ holds pure logic: no database imports.' },
            {
              regex: '\\.(entity|repository|service|controller|module|guard|interceptor)$',
              message: 'domain/ holds pure logic: import words from other domain/ files, not tables or services.',
            },
          ],
        },
      ],
    },
  },
  {
    // The staff console runs in the browser.
    files: ['web/**/*.{ts,tsx,mts}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { sourceType: 'module' },
  },
  {
    files: ['jest.config.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
