import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
      eqeqeq: ['error', 'always'],
      // Handlers and fakes that implement promise-returning interfaces stay `async` without awaiting, so that a
      // synchronous throw becomes a rejection the caller handles.
      '@typescript-eslint/require-await': 'off',
      // node:test's test/describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
    },
  },
  // Plain JavaScript (this file, build scripts) is in no tsconfig: lint it without type information.
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: globals.node } },
  {
    files: ['scripts/**', 'bench/**', '**/bin/**'],
    rules: { 'no-console': 'off' },
  },
  // An `as` at run time checks nothing: production code parses (zod) or narrows (type guards) what crosses a
  // boundary, and each remaining assertion says on its line why it is safe.
  {
    files: ['packages/*/src/**/*.ts', 'services/*/src/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-type-assertion': 'error' },
  },
);
