import type { z } from 'zod';

/** A bad environment variable: the message names it and never echoes its value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    message: string,
    readonly variables: readonly string[],
  ) {
    super(message);
  }
}

/**
 * Reads a service's configuration from `env` with `schema`, whose keys are the variable names
 * (defaults and coercion live in the schema). Throws ConfigError naming every bad variable.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    // An empty variable means "not set", so `FOO= node main.js` falls back to the default.
    input[key] = value === undefined || value.trim() === '' ? undefined : value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.map(String).join('.') || '(environment)';
    return { variable, problem: issue.message };
  });
  const variables = [...new Set(problems.map((p) => p.variable))];
  throw new ConfigError(
    `invalid configuration: ${problems.map((p) => `${p.variable}: ${p.problem}`).join('; ')}`,
    variables,
  );
}
