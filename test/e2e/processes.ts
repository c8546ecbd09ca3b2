import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A service started from its build output as its own process, its output kept for failures. */
export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** `env` is the whole environment of the process: nothing of this one's is added. */
export function startService(name: string, entry: string, env: NodeJS.ProcessEnv): ServiceProcess {
  const child = spawn(process.execPath, [join(repoRoot, entry)], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    name,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** Runs a one-shot command (e.g. the authority's setup) to completion; throws with its output. */
export function runToCompletion(
  entry: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<string> {
  const service = startService(entry, entry, env);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void service.stop();
      reject(new Error(`${entry} did not finish within ${timeoutMs} ms:\n${service.output()}`));
    }, timeoutMs);
    service.child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(service.output());
      else reject(new Error(`${entry} exited with ${code}:\n${service.output()}`));
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  diagnostics: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${timeoutMs} ms\n${diagnostics()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
