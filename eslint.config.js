import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The layering in docs/architecture.md, "Import rules": the kernel imports nothing from modules/ or web/.
    files: ['src/kernel/**'],
    ignores: ['src/kernel/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/modules/**', '**/web/**'],
              message: 'kernel/ imports nothing from modules/ or web/',
            },
          ],
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
