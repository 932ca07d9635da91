import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** A module's web edge: the files that may import src/web/ (pages and their helpers, form schemas, routes, plugins). */
const WEB_EDGE = [
  'src/modules/**/*.pages.ts',
  'src/modules/**/*.schemas.ts',
  'src/modules/**/*.routes.ts',
  'src/modules/**/*.plugin.ts',
  'src/modules/**/paths.ts',
  'src/modules/**/pages-common.ts',
  'src/modules/**/page-audit.ts',
  'src/modules/*/index.ts',
];
const NO_MODULES_OR_WEB = {
  group: ['**/modules/**', '**/web/**'],
  message:
    'kernel/ and db/ import nothing from modules/ or web/ (a migration writes the data it needs as it was)',
};
const NO_WEB = {
  group: ['**/web/**'],
  message: 'Only pages, schemas and a module’s web edge import web/: move what a service needs to kernel/',
};
const ONLY_THROUGH_INDEX = {
  regex: '^\\.\\./[a-z-]+/(?!index\\.ts$)',
  message: 'Import another module only through its index.ts',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The design's import rules (docs/architecture.md, "Import rules"), held here rather than by review. Each has a
  // planted violation in test/lint-rules.test.ts that must fail.
  {
    // kernel/ and db/ import nothing from modules/ or web/ (migrations are frozen: they never call live module code).
    files: ['src/kernel/**', 'src/db/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_MODULES_OR_WEB] }],
    },
  },
  {
    // Inside modules/, only the web edge imports web/; and a module imports another only through its index.ts.
    files: ['src/modules/*/**/*.ts'],
    ignores: ['**/*.test.ts', ...WEB_EDGE],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_WEB, ONLY_THROUGH_INDEX] }],
    },
  },
  {
    files: WEB_EDGE,
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [ONLY_THROUGH_INDEX] }],
    },
  },
  {
    // A module's index.ts lists its pages, so it may name the page type, and nothing else, from web/.
    files: ['src/modules/*/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ ...NO_WEB, allowTypeImports: true }, ONLY_THROUGH_INDEX] },
      ],
    },
  },
  {
    // The lists of modules (pages, worktray providers) name each module's index.ts.
    files: ['src/modules/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\./[a-z-]+/(?!index\\.ts$)',
              message: 'Import another module only through its index.ts',
            },
          ],
        },
      ],
    },
  },
  {
    // The composition (web/, app.ts, the CLI, main.ts, the demo data) uses a module only through its index.ts.
    files: ['src/web/**/*.ts', 'src/*.ts', 'src/demo/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)modules/[a-z-]+/(?!index\\.ts$)',
              message: 'Use a module only through its index.ts',
            },
          ],
        },
      ],
    },
  },
  {
    // Pages never touch tables: every query is a service's (or a repository's) in the page's module.
    files: ['src/**/*.pages.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom)$/]',
          message: 'Pages never touch tables: call a service of the module instead',
        },
      ],
    },
  },
  {
    // Migrations are written against Kysely<any> by design (docs/architecture.md, "Data layer").
    files: ['src/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/web/public/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
