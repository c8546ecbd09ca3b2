import { runCli } from '@sec-health/client';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `sechealth` in-process against the gateway, with its own home, passphrase and API URL. */
export function cliRunner(env: Record<string, string>) {
  return async (...argv: string[]): Promise<CliResult> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env,
      interactive: false,
    });
    return { code, stdout, stderr };
  };
}

/** Runs a `--json` command that must succeed and returns its parsed output. */
export async function json<T>(result: Promise<CliResult>): Promise<T> {
  const { code, stdout, stderr } = await result;
  if (code !== 0) throw new Error(`sechealth failed (${code}): ${stderr}`);
  return JSON.parse(stdout) as T;
}
