import { ErrorCode, ProtocolError } from '@sec-health/protocol';

const UNIQUE_VIOLATION = '23505';

/** Runs a write; a unique-constraint violation becomes CONFLICT with `message`. */
export async function conflictOnDuplicate<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const code =
      (error as { driverError?: { code?: string } }).driverError?.code ??
      (error as { code?: string }).code;
    if (code === UNIQUE_VIOLATION) throw new ProtocolError(ErrorCode.Conflict, message);
    throw error;
  }
}
