import { CodedError } from '@sec-health/errors';
import type { z } from 'zod';

export const ConfigErrorCode = { Invalid: 'CONFIG_INVALID' } as const;
export type ConfigErrorCode = (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];

/** A bad environment: the message names every bad variable and never echoes a value. */
export class ConfigError extends CodedError<ConfigErrorCode, { variables: readonly string[] }> {
  get variables(): readonly string[] {
    return this.details?.variables ?? [];
  }
}

export interface LoadConfigOptions {
  /**
   * Variables whose default is for development only (a public anvil key, the built-in
   * passphrase, no NATS credentials...), with what the default is. Outside development they
   * must be set: the service refuses to start and names them.
   */
  readonly developmentDefaults?: Readonly<Record<string, string>>;
}

/** The local development chain (anvil). Any other chain id is a deployment. */
export const DEVELOPMENT_CHAIN_ID = 31337;

/**
 * Development means NODE_ENV is not `production` and the chain is the local development chain
 * (CHAIN_ID unset or 31337). Anywhere else, development defaults are refused.
 */
export function isDevelopment(env: NodeJS.ProcessEnv = process.env): boolean {
  const chainId = env.CHAIN_ID?.trim();
  return (
    env.NODE_ENV?.trim() !== 'production' &&
    (chainId === undefined || chainId === '' || Number(chainId) === DEVELOPMENT_CHAIN_ID)
  );
}

/**
 * Reads a service's configuration from `env` with `schema`, whose keys are the variable names
 * (defaults and coercion live in the schema). Throws ConfigError naming every bad variable, and,
 * outside development, every variable left at a development-only default.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): z.output<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) input[key] = setValue(env, key);
  const problems: { variable: string; problem: string }[] = [];
  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push({
        variable: issue.path.map(String).join('.') || '(environment)',
        problem: issue.message,
      });
    }
  }
  if (!isDevelopment(env)) {
    for (const [variable, what] of Object.entries(options.developmentDefaults ?? {})) {
      if (setValue(env, variable) !== undefined) continue;
      problems.push({
        variable,
        problem: `must be set outside development (its default, ${what}, is for development only; NODE_ENV=production or CHAIN_ID is not ${DEVELOPMENT_CHAIN_ID})`,
      });
    }
  }
  if (problems.length === 0 && result.success) return result.data;
  const variables = [...new Set(problems.map((p) => p.variable))];
  throw new ConfigError(
    ConfigErrorCode.Invalid,
    `invalid configuration: ${problems.map((p) => `${p.variable}: ${p.problem}`).join('; ')}`,
    { variables },
  );
}

// An empty variable means "not set", so `FOO= node main.js` falls back to the default.
function setValue(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const value = env[key];
  return value === undefined || value.trim() === '' ? undefined : value;
}
