import type { Env } from '../profile/home.js';
import type { FetchFunction } from '../sdk/transport.js';

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Raw bytes on stdout (a record's content); without it only text content can be printed. */
  readonly stdoutBytes?: (bytes: Uint8Array) => void;
  readonly env: Env;
  /** True when a person is at a terminal: only then are prompts and spinners used. */
  readonly interactive?: boolean;
  readonly fetch?: FetchFunction;
  /** Asks for a secret; defaults to an @inquirer/password prompt on stderr. */
  readonly promptSecret?: (message: string) => Promise<string>;
}
