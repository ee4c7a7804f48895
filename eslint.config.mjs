// Lint guards what review misses: promises nobody awaits, and non-deterministic imports in workflows.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export default tseslint.config(
  // ensure-*.cjs run before dependencies exist, so they are plain JavaScript outside the TS project.
  { ignores: ['node_modules/**', '.temporal/**', 'test-output/**', 'eslint.config.mjs', 'src/main/ensure-install.cjs', 'src/main/ensure-chromium.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed: it must not reach the outside world or the real clock.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins.' })),
          patterns: [
            { group: ['**/activities/**', '../activities/*'], message: 'Workflows call activities through proxyActivities, never import provider clients.' },
            { group: ['undici', 'express', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Not allowed in workflow code.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }, { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow.' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Date.now() is only deterministic through the SDK; prefer workflowInfo() times.' }, { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow.' }],
    },
  },
  {
    // A sandbox plays its provider: it checks the adapter only if it shares none of its code, so
    // signatures, envelopes, result codes and money are implemented again from the provider spec.
    files: ['src/sandboxes/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities', '**/activities/**', '**/workflows', '**/workflows/**'],
              message: 'Sandboxes implement their provider from its spec; never import the adapter (activities/) or the workflows.',
            },
          ],
        },
      ],
    },
  },
  {
    // The pages' browser modules (src/web/assets, the demo till, the API reference, the sandboxes'
    // customer pages): plain ES modules the browser loads as they are, outside the TS project.
    files: ['src/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['window', 'document', 'location', 'fetch', 'URL', 'URLSearchParams', 'sessionStorage', 'setTimeout', 'clearTimeout', 'AbortController', 'Event'].map((name) => [name, 'readonly'])),
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // node:test's describe/it return promises the runner itself tracks.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
