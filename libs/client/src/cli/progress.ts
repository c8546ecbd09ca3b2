import ora from 'ora';

/**
 * Runs `work` behind a spinner on stderr when `enabled` (a terminal and no --json), so stdout
 * stays clean for the result. A terminal that reports no width gets none: ora then clears an
 * unbounded number of lines on every frame.
 */
export async function withProgress<T>(
  enabled: boolean,
  text: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!enabled || !process.stderr.isTTY || !(process.stderr.columns > 0)) return work();
  const spinner = ora({ text, stream: process.stderr }).start();
  try {
    return await work();
  } finally {
    spinner.stop();
  }
}
