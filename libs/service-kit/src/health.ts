import type { Health } from '@sec-health/protocol';

import type { ConcurrencyLimiter } from './concurrency-limiter.js';

/** A dependency check: resolves when the dependency answers. */
export type HealthCheck = () => Promise<unknown>;

/** Each dependency check's bound: well inside the gateway's wait for the whole answer. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 500;

/** What a service's health depends on; each is checked only when given. */
export interface HealthDependencies {
  /** A TypeORM DataSource or pg pool: checked with `SELECT 1`. */
  readonly postgres?: { query(sql: string): Promise<unknown> };
  /** An ethers JsonRpcProvider: checked with `eth_blockNumber`. */
  readonly chain?: { send(method: string, params: unknown[]): Promise<unknown> };
  /** The service's concurrency bound: `down` while it refuses work, with the counts. */
  readonly limiter?: ConcurrencyLimiter;
}

/**
 * The usual checks: PostgreSQL, the chain, and NATS, which is up by construction, since the
 * health request arrived and its answer leaves over NATS.
 */
export function standardHealthChecks(deps: HealthDependencies): Record<string, HealthCheck> {
  const checks: Record<string, HealthCheck> = {};
  if (deps.postgres) checks.postgres = () => deps.postgres!.query('SELECT 1');
  checks.nats = async () => undefined;
  if (deps.chain) checks.chain = () => deps.chain!.send('eth_blockNumber', []);
  if (deps.limiter) checks.capacity = capacityCheck(deps.limiter);
  return checks;
}

/**
 * Runs every check in parallel, each bounded by `timeoutMs`; `up` when all answer, `down` when
 * none does, `degraded` otherwise. Details name the failure, never credentials.
 */
export async function checkHealth(
  service: string,
  checks: Readonly<Record<string, HealthCheck>>,
  timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS,
): Promise<Health> {
  const names = Object.keys(checks);
  const results: (readonly [string, { status: 'up' | 'down'; detail?: string }])[] =
    await Promise.all(
      names.map(async (name) => {
        try {
          await withTimeout(checks[name]!(), timeoutMs);
          return [name, { status: 'up' as const }] as const;
        } catch (error) {
          return [name, { status: 'down' as const, detail: shortDetail(error) }] as const;
        }
      }),
    );
  const up = results.filter(([, r]) => r.status === 'up').length;
  const status = up === names.length ? 'up' : up === 0 ? 'down' : 'degraded';
  return { service, status, dependencies: Object.fromEntries(results) };
}

/** Rejects when `promise` does not settle within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function shortDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Connection strings in driver messages could hold a password.
  return message.replace(/\/\/[^@\s/]*@/g, '//***@').slice(0, 200);
}

/**
 * Up while the service admits work; down while its queue is full, so /health tells the truth
 * under a flood instead of timing out. The detail gives the counts.
 */
function capacityCheck(limiter: ConcurrencyLimiter): HealthCheck {
  return async () => {
    const s = limiter.stats();
    if (s.queued >= s.maxQueued && s.inFlight >= s.maxConcurrent) {
      throw new Error(
        `at its limit: ${s.inFlight} of ${s.maxConcurrent} in flight, ${s.queued} of ${s.maxQueued} queued`,
      );
    }
    return undefined;
  };
}
