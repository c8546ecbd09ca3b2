import type { ChildProcess } from 'node:child_process';

import { describeError, LocalInfraError, LocalInfraErrorCode } from './errors.js';

/** Resolves once `child` is spawned; rejects with ProcessStartFailed naming it if it cannot be. */
export function spawned(child: ChildProcess, name: string, command: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) =>
      reject(
        new LocalInfraError(
          LocalInfraErrorCode.ProcessStartFailed,
          `${name}: cannot start ${command}: ${describeError(error)}`,
          undefined,
          { cause: error },
        ),
      ),
    );
  });
}
