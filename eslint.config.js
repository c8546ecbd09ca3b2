import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

import boundaries from './tools/eslint-rules/project-boundaries.js';

const workspaceRoot = dirname(fileURLToPath(import.meta.url));

/** Files that may use test support (libs/testing): specs, test folders, the e2e suite. */
export const testFiles = ['**/*.spec.ts', '**/*.int.spec.ts', '**/test/**', 'test/e2e/**'];

/**
 * Which projects may import which. Every project has a type tag (service, lib, e2e, tool) and a
 * scope tag (what it is for); a dependency must satisfy every constraint whose tag it matches.
 */
export const depConstraints = [
  // Layers: services use libs; nothing imports a service, the e2e suite or a tool.
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  // The client library is the user's side of the protocol: no service links it in.
  { sourceTag: 'type:service', notDependOnLibsWithTags: ['scope:client'] },
  // The error base depends on nothing; the wire contract (protocol), the crypto and the chain
  // bindings (contracts) stand on the error base alone.
  { sourceTag: 'scope:base', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:contract', onlyDependOnLibsWithTags: ['scope:base'] },
  { sourceTag: 'scope:crypto', onlyDependOnLibsWithTags: ['scope:base'] },
  { sourceTag: 'scope:chain', onlyDependOnLibsWithTags: ['scope:base'] },
  // Local infrastructure (PostgreSQL, NATS, anvil) and the test support built on it.
  { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:base', 'scope:contract'] },
  {
    sourceTag: 'scope:test-support',
    onlyDependOnLibsWithTags: ['scope:base', 'scope:contract', 'scope:infra'],
  },
  // The client stays portable: no server code in it.
  {
    sourceTag: 'scope:client',
    onlyDependOnLibsWithTags: [
      'scope:base',
      'scope:contract',
      'scope:crypto',
      'scope:test-support',
    ],
  },
  {
    sourceTag: 'scope:server',
    onlyDependOnLibsWithTags: [
      'scope:base',
      'scope:contract',
      'scope:crypto',
      'scope:chain',
      'scope:server',
      'scope:test-support',
    ],
  },
  // Test support is imported by tests only, never by code that ships.
  { targetTag: 'scope:test-support', onlyFromFiles: testFiles },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.nx/**',
      '**/coverage/**',
      '**/reports/**',
      '**/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: workspaceRoot },
    },
    plugins: { 'sec-health': boundaries },
    rules: {
      'sec-health/project-boundaries': ['error', { workspaceRoot, depConstraints, noCycles: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': 'off',
      // Async functions that do not await are fine: interfaces are async for the browser path.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
