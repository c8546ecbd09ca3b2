import { homedir } from 'node:os';
import { join } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

/** SECHEALTH_HOME, or ~/.sechealth. */
export function sechealthHome(env: Env): string {
  return env.SECHEALTH_HOME || join(homedir(), '.sechealth');
}
