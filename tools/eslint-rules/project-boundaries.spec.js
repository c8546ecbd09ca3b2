import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Linter, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';

import { depConstraints } from '../../eslint.config.js';
import { projectBoundaries } from './project-boundaries.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;

// The fixture workspace carries the real tag scheme, so these cases test eslint.config.js too.
const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const options = [{ workspaceRoot, depConstraints, noCycles: true }];
const at = (path) => join(workspaceRoot, path);

const alpha = at('services/alpha/src/main.ts');
const shared = at('libs/shared/src/util.ts');
const errors = at('libs/errors/src/index.ts');
const protocol = at('libs/protocol/src/schema.ts');
const crypto = at('libs/crypto/src/aead.ts');
const client = at('libs/client/src/sdk.ts');
const testing = at('libs/testing/src/nats.ts');
const ringA = at('libs/ring-a/src/index.ts');
const declaredA = at('libs/declared-a/src/index.ts');
const declaredB = at('libs/declared-b/src/index.ts');
const rootScript = at('infra/up.mjs');

const valid = (filename, code) => ({ filename, options, code });
const invalid = (filename, code, messageId) => ({
  filename,
  options,
  code,
  errors: [{ messageId }],
});

new RuleTester({ languageOptions: { parser: tseslint.parser, sourceType: 'module' } }).run(
  'project-boundaries',
  projectBoundaries,
  {
    valid: [
      // Services use libs; local and external imports are not the rule's business.
      valid(alpha, "import { x } from '@fixture/shared';"),
      valid(alpha, "import { y } from './local.js';"),
      valid(alpha, "import { readFileSync } from 'node:fs';"),
      valid(shared, "export { x } from './index.js';"),
      valid(alpha, "import { x } from '@fixture/protocol';"),
      valid(alpha, "import { x } from '@fixture/crypto';"),
      // Everyone may use the error base; it uses nothing of ours.
      valid(alpha, "import { x } from '@fixture/errors';"),
      valid(protocol, "import { x } from '@fixture/errors';"),
      valid(crypto, "import { x } from '@fixture/errors';"),
      valid(errors, "import { randomBytes } from 'node:crypto';"),
      // The client builds on the contract and the crypto.
      valid(client, "import { x } from '@fixture/protocol';"),
      valid(client, "import { x } from '@fixture/crypto';"),
      // Test support from test files of any project, and from itself.
      valid(at('services/alpha/src/main.spec.ts'), "import { x } from '@fixture/testing';"),
      valid(at('services/alpha/test/flow.int.spec.ts'), "import { x } from '@fixture/testing';"),
      valid(at('libs/shared/test/support.ts'), "import type { x } from '@fixture/testing';"),
      valid(at('test/e2e/processes.ts'), "import { x } from '@fixture/testing';"),
      valid(testing, "import { x } from '@fixture/testing';"),
      valid(testing, "import { x } from '@fixture/protocol';"),
      // No cycle: ring-a depends on ring-b and back, but shared depends on neither.
      valid(ringA, "import { x } from '@fixture/shared';"),
      valid(declaredB, "import { x } from '@fixture/declared-a';"),
      // Workspace files: shared configuration at the root, tools without a package by path.
      valid(alpha, "import { shared } from '../../../vitest.shared.js';"),
      valid(at('eslint.config.js'), "import { rule } from './tools/lint/rule.js';"),
      valid(rootScript, "import { x } from '@fixture/protocol';"),
    ],
    invalid: [
      // Services never import each other, by name or by path.
      invalid(alpha, "import { x } from '@fixture/beta';", 'forbiddenTag'),
      invalid(alpha, "export * from '@fixture/beta';", 'forbiddenTag'),
      invalid(alpha, "const m = await import('@fixture/beta');", 'forbiddenTag'),
      invalid(alpha, "import { x } from '../../beta/src/index.js';", 'relativeCrossing'),
      invalid(shared, "import { x } from '@fixture/alpha';", 'forbiddenTag'),
      invalid(alpha, "import { x } from '@fixture/shared/src/index.ts';", 'deepImport'),
      // The error base depends on nothing.
      invalid(errors, "import { x } from '@fixture/protocol';", 'noDependencies'),
      // The protocol and the crypto depend on nothing but the error base.
      invalid(protocol, "import { x } from '@fixture/crypto';", 'forbiddenTag'),
      invalid(protocol, "import { x } from '@fixture/shared';", 'forbiddenTag'),
      invalid(protocol, "import { x } from '@fixture/testing';", 'forbiddenTag'),
      invalid(crypto, "import { x } from '@fixture/protocol';", 'forbiddenTag'),
      invalid(crypto, "export { x } from '@fixture/shared';", 'forbiddenTag'),
      // The client stays free of server code, and no service links the client in.
      invalid(client, "import { x } from '@fixture/shared';", 'forbiddenTag'),
      invalid(alpha, "import { x } from '@fixture/client';", 'bannedTag'),
      invalid(at('services/alpha/test/cli.int.spec.ts'), "import '@fixture/client';", 'bannedTag'),
      // Test support never from code that ships, however it is imported.
      invalid(alpha, "import { x } from '@fixture/testing';", 'fileNotAllowed'),
      invalid(alpha, "import type { x } from '@fixture/testing';", 'fileNotAllowed'),
      invalid(shared, "const t = await import('@fixture/testing');", 'fileNotAllowed'),
      invalid(
        at('services/alpha/src/testing.ts'),
        "export * from '@fixture/testing';",
        'fileNotAllowed',
      ),
      invalid(rootScript, "import { x } from '@fixture/testing';", 'fileNotAllowed'),
      // Cycles: ring-b imports ring-a in its code; declared-b declares declared-a.
      {
        filename: ringA,
        options,
        code: "import { x } from '@fixture/ring-b';",
        errors: [
          {
            message:
              "Importing 'ring-b' from 'ring-a' closes a dependency cycle: ring-a -> ring-b -> ring-a. Move what both need into a project lower down, or invert one dependency.",
          },
        ],
      },
      invalid(declaredA, "import { x } from '@fixture/declared-b';", 'dependencyCycle'),
      // A tool without a package is reached by path, and still under the constraints.
      invalid(shared, "import { rule } from '../../../tools/lint/rule.js';", 'forbiddenTag'),
    ],
  },
);

describe('project-boundaries options', () => {
  const lint = (constraint) =>
    new Linter({ cwd: workspaceRoot }).verify(
      "import { x } from '@fixture/shared';",
      {
        files: ['**/*.ts'],
        plugins: { sec: { rules: { 'project-boundaries': projectBoundaries } } },
        rules: {
          'sec/project-boundaries': ['error', { workspaceRoot, depConstraints: [constraint] }],
        },
      },
      alpha,
    );

  it('accepts a source-tag and a target-tag constraint', () => {
    expect(lint({ sourceTag: 'type:service', notDependOnLibsWithTags: ['scope:client'] })).toEqual(
      [],
    );
    expect(lint({ targetTag: 'scope:test-support', onlyFromFiles: ['**/*.spec.ts'] })).toEqual([]);
  });

  it.each([
    ['a source tag without a list', { sourceTag: 'type:lib' }],
    ['a target tag without files', { targetTag: 'scope:test-support', onlyFromFiles: [] }],
    ['both kinds at once', { sourceTag: 'a', targetTag: 'b', onlyFromFiles: ['**'] }],
    ['an unknown key', { sourceTag: 'a', onlyDependOnLibsWithTags: [], allow: ['b'] }],
  ])('rejects %s', (_, constraint) => {
    expect(() => lint(constraint)).toThrow(/Key "sec\/project-boundaries":\s+Value .+ should/);
  });
});
