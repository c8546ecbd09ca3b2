import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { RuleTester } from 'eslint';
import { afterAll, describe, it } from 'vitest';

import { depConstraints } from '../../eslint.config.js';
import { projectBoundaries } from './project-boundaries.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const options = [{ workspaceRoot, depConstraints }];
const alpha = join(workspaceRoot, 'services/alpha/src/main.ts');
const shared = join(workspaceRoot, 'libs/shared/src/util.ts');

new RuleTester({ languageOptions: { ecmaVersion: 2024, sourceType: 'module' } }).run(
  'project-boundaries',
  projectBoundaries,
  {
    valid: [
      { filename: alpha, options, code: "import { x } from '@fixture/shared';" },
      { filename: alpha, options, code: "import { y } from './local.js';" },
      { filename: alpha, options, code: "import { readFileSync } from 'node:fs';" },
      { filename: shared, options, code: "export { x } from './index.js';" },
    ],
    invalid: [
      {
        filename: alpha,
        options,
        code: "import { x } from '@fixture/beta';",
        errors: [{ messageId: 'forbiddenTag' }],
      },
      {
        filename: alpha,
        options,
        code: "export * from '@fixture/beta';",
        errors: [{ messageId: 'forbiddenTag' }],
      },
      {
        filename: alpha,
        options,
        code: "const m = await import('@fixture/beta');",
        errors: [{ messageId: 'forbiddenTag' }],
      },
      {
        filename: alpha,
        options,
        code: "import { x } from '../../beta/src/index.js';",
        errors: [{ messageId: 'relativeCrossing' }],
      },
      {
        filename: shared,
        options,
        code: "import { x } from '@fixture/alpha';",
        errors: [{ messageId: 'forbiddenTag' }],
      },
      {
        filename: alpha,
        options,
        code: "import { x } from '@fixture/shared/src/index.ts';",
        errors: [{ messageId: 'deepImport' }],
      },
    ],
  },
);
