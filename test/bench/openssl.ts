// The AES-256-GCM floor: `openssl speed` on this machine, in the same run as our figures.
import { execFile } from 'node:child_process';

export type OpensslSpeed =
  | { readonly ok: true; readonly mbPerSec: number; readonly command: string }
  | { readonly ok: false; readonly reason: string; readonly command: string };

/**
 * Parses `openssl speed -mr` output. The machine-readable result line is
 * `+F:<n>:<algorithm>:<bytes/s for each size>`; with `-bytes <size>` there is one figure.
 */
export function parseOpensslSpeed(output: string): number | null {
  for (const line of output.split('\n')) {
    const fields = line.trim().split(':');
    if (fields[0] !== '+F' || fields.length < 4) continue;
    const bytesPerSecond = Number(fields[fields.length - 1]);
    if (Number.isFinite(bytesPerSecond) && bytesPerSecond > 0) return bytesPerSecond / 1e6;
  }
  return null;
}

/** Runs `openssl speed -evp aes-256-gcm -bytes <size> -seconds <seconds>`; never throws. */
export function opensslAesGcmSpeed(size: number, seconds: number): Promise<OpensslSpeed> {
  const args = [
    'speed',
    '-mr',
    '-evp',
    'aes-256-gcm',
    '-bytes',
    String(size),
    '-seconds',
    String(seconds),
  ];
  const command = `openssl ${args.filter((a) => a !== '-mr').join(' ')}`;
  return new Promise((resolve) => {
    execFile(
      'openssl',
      args,
      { encoding: 'utf8', timeout: (seconds + 20) * 1000 },
      (error, stdout, stderr) => {
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          resolve({
            ok: false,
            command,
            reason: missing
              ? 'openssl is not installed (not on PATH)'
              : `openssl failed: ${error.message.split('\n')[0]}`,
          });
          return;
        }
        const mbPerSec = parseOpensslSpeed(`${stdout}\n${stderr}`);
        resolve(
          mbPerSec === null
            ? { ok: false, command, reason: 'could not parse the output of openssl speed' }
            : { ok: true, command, mbPerSec },
        );
      },
    );
  });
}
