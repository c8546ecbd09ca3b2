import ora from 'ora';

/** Replaces the spinner's text while the work runs (a no-op without a spinner). */
export type ProgressText = (text: string) => void;

/**
 * Runs `work` behind a spinner on stderr when `enabled` (a terminal and no --json), so stdout
 * stays clean for the result; `work` may update the text ("Uploading 3.1 of 30.0 MiB (10%)").
 * A terminal that reports no width gets none: ora then clears an unbounded number of lines on
 * every frame.
 */
export async function withProgress<T>(
  enabled: boolean,
  text: string,
  work: (setText: ProgressText) => Promise<T>,
): Promise<T> {
  if (!enabled || !process.stderr.isTTY || !(process.stderr.columns > 0)) {
    return work(() => undefined);
  }
  const spinner = ora({ text, stream: process.stderr }).start();
  try {
    return await work((next) => {
      spinner.text = next;
    });
  } finally {
    spinner.stop();
  }
}
