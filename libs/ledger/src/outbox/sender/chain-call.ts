import { describeCause } from '../../errors.js';

/** The chain did not answer (or failed to): the sender backs off and retries the round. */
export class TransientError extends Error {}

/** Runs one chain request; any failure becomes a TransientError naming `what`. */
export async function chainCall<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new TransientError(`${what}: ${describeCause(error)}`);
  }
}
