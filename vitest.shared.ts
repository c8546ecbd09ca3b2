import swc from 'unplugin-swc';
import { defaultServerConditions } from 'vite';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const conditions = ['@sec-health/source', ...defaultServerConditions];

/**
 * One test configuration for every project. SWC compiles the TypeScript so that NestJS and
 * TypeORM decorator metadata survives (esbuild drops it), and the `@sec-health/source` export
 * condition makes workspace libraries resolve to their sources, so unit tests need no build.
 */
export function projectTestConfig(overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineConfig({
    plugins: [
      swc.vite({
        jsc: {
          target: 'es2023',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
      }),
    ],
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      // Test tiers by path: unit specs beside the code; integration (real PostgreSQL, NATS, chain or
      // processes) in test/*.int.spec.ts. `test` runs both, `test:unit` only src/.
      include: ['src/**/*.spec.ts', 'test/**/*.int.spec.ts'],
      environment: 'node',
      reporters: ['default'],
      testTimeout: 30_000,
      // Suites start databases, nats-server and anvil in their hooks; a loaded CI machine is slow.
      hookTimeout: 120_000,
      ...overrides,
    },
  });
}
