import { classifyDatabaseError } from '@sec-health/persistence';
import { ErrorCode, ProtocolError } from '@sec-health/protocol';

/**
 * Runs a write; a uniqueness violation becomes CONFLICT with `message`, which says what exists
 * (the request handler's generic CONFLICT would not). What counts as one is libs/persistence's.
 */
export async function conflictOnDuplicate<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (classifyDatabaseError(error) === 'conflict') {
      throw new ProtocolError(ErrorCode.Conflict, message);
    }
    throw error;
  }
}
