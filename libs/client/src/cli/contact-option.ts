import { EmergencyContact } from '@sec-health/protocol';
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';

export type Contact = z.infer<typeof EmergencyContact>;

const NAME_AND_ADDRESS = /^(.+?)\s*<([^<>]+)>$/;

/**
 * A break-glass contact from `Name <address>`: an e-mail address (`--contact`) or an http(s)
 * URL (`--webhook-contact`), checked against the policy schema.
 */
export function parseContact(value: string, kind: 'email' | 'webhook'): Contact {
  const example =
    kind === 'email' ? 'Ana Souza <ana@example.org>' : 'Ops <https://example.org/hook>';
  const match = NAME_AND_ADDRESS.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`must look like "${example}"`);
  const [, name, address] = match as unknown as [string, string, string];
  const parsed = EmergencyContact.safeParse({ name: name.trim(), [kind]: address.trim() });
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    const where = problem?.path.join('.') || kind;
    throw new InvalidArgumentError(
      `${where}: ${problem?.message ?? 'invalid'} (e.g. "${example}")`,
    );
  }
  return parsed.data;
}
