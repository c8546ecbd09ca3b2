import { readFileSync, statSync } from 'node:fs';

import { ConfigError, ConfigErrorCode } from './config.js';

/**
 * Reads a file that holds a secret (an NKey seed, a signing key), named by `variable`. Refused,
 * naming the variable and never the content, when it is missing, empty, or readable by other
 * users: like ssh, a key file must be 0600 (or stricter).
 */
export function readSecretFile(variable: string, path: string): string {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    throw invalid(
      variable,
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  if ((mode & 0o077) !== 0) {
    throw invalid(
      variable,
      `${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
    );
  }
  const text = readFileSync(path, 'utf8').trim();
  if (text === '') throw invalid(variable, `${path} is empty`);
  return text;
}

function invalid(variable: string, problem: string): ConfigError {
  return new ConfigError(
    ConfigErrorCode.Invalid,
    `invalid configuration: ${variable}: ${problem}`,
    {
      variables: [variable],
    },
  );
}
