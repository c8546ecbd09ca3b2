import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  // A copy: the caller zeroizes its plaintext, and a write to a pipe may finish later.
  stdoutBytes: (bytes) => void process.stdout.write(Buffer.from(bytes)),
  env: process.env,
  interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
});
