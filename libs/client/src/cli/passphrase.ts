import password from '@inquirer/password';

import { ClientError, ClientErrorCode } from '../errors.js';
import type { CliIo } from './io.js';
import { UsageError } from './usage-error.js';

export const PASSPHRASE_ENV = 'SECHEALTH_PASSPHRASE';
const MIN_NEW_LENGTH = 8;

/**
 * The keystore passphrase: SECHEALTH_PASSPHRASE when set (for scripts), else a prompt at the
 * terminal; a new passphrase is asked twice.
 */
export async function readPassphrase(
  io: CliIo,
  profile: string,
  options: { isNew?: boolean } = {},
): Promise<string> {
  const fromEnv = io.env[PASSPHRASE_ENV];
  let passphrase: string;
  if (fromEnv) {
    passphrase = fromEnv;
  } else if (!io.interactive) {
    throw new ClientError(
      ClientErrorCode.PassphraseUnavailable,
      `a passphrase is needed for profile "${profile}" and there is no terminal to ask on: set ${PASSPHRASE_ENV}`,
    );
  } else {
    const ask = io.promptSecret ?? promptOnStderr;
    const verb = options.isNew ? 'New passphrase' : 'Passphrase';
    passphrase = await ask(`${verb} for profile "${profile}":`);
    if (options.isNew && (await ask('Repeat the passphrase:')) !== passphrase) {
      throw new UsageError('the two passphrases differ: run the command again');
    }
  }
  if (options.isNew && passphrase.length < MIN_NEW_LENGTH) {
    throw new UsageError(`the passphrase must have at least ${MIN_NEW_LENGTH} characters`);
  }
  return passphrase;
}

function promptOnStderr(message: string): Promise<string> {
  return password({ message, mask: '*' }, { output: process.stderr });
}
