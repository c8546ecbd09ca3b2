import { execFile, spawnSync } from 'node:child_process';

import { LocalInfraError, LocalInfraErrorCode, describeError } from './errors.js';

export interface RunCommandOptions {
  readonly uid?: number;
  readonly gid?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Default 60 s. */
  readonly timeoutMs?: number;
}

/** What both runners pass to the child: bounded time, its directory, environment and user. */
function processOptions(options: RunCommandOptions) {
  return {
    timeout: options.timeoutMs ?? 60_000,
    cwd: options.cwd,
    env: options.env ?? process.env,
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  };
}

/** Runs a command to completion and returns its stdout; throws with its output when it fails. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): string {
  const result = spawnSync(command, args, { encoding: 'utf8', ...processOptions(options) });
  if (result.error) {
    throw new LocalInfraError(
      LocalInfraErrorCode.CommandFailed,
      `${command}: ${describeError(result.error)}`,
      undefined,
      { cause: result.error },
    );
  }
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new LocalInfraError(
      LocalInfraErrorCode.CommandFailed,
      `${[command, ...args].join(' ')} exited with ${String(result.status ?? result.signal)}${output ? `: ${output}` : ''}`,
    );
  }
  return result.stdout;
}

/** Like runCommand, without blocking the event loop (initdb in a test takes seconds). */
export function runCommandAsync(
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { encoding: 'utf8', ...processOptions(options) },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const output = `${stdout}${stderr}`.trim();
        reject(
          new LocalInfraError(
            LocalInfraErrorCode.CommandFailed,
            `${[command, ...args].join(' ')} failed: ${describeError(error)}${output ? `: ${output}` : ''}`,
            undefined,
            { cause: error },
          ),
        );
      },
    );
  });
}
