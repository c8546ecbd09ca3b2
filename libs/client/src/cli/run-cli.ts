import { Command, CommanderError } from 'commander';

import { CliContext, DEFAULT_API_URL, type GlobalOptions } from './context.js';
import { describeError } from './describe-error.js';
import type { CliIo } from './io.js';
import { grantsCommand } from './commands/grants.js';
import { emergencyCommand } from './commands/emergency.js';
import { initCommand } from './commands/init.js';
import { keysCommand } from './commands/keys.js';
import { loginCommand } from './commands/login.js';
import { orgCommand } from './commands/org.js';
import { participantsCommand } from './commands/participants.js';
import { patientsCommand } from './commands/patients.js';
import { policyCommand } from './commands/policy.js';
import { recordsCommand } from './commands/records.js';
import { registerCommand } from './commands/register.js';
import { whoamiCommand } from './commands/whoami.js';

export type { CliIo } from './io.js';

/**
 * Runs `sechealth` with `argv` (without node and script) and returns the exit code: 0, 1 for a
 * failure, 2 for a usage error. Output goes only through `io`, so tests need no subprocess.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  let command = '';
  program.hook('preAction', (_program, action) => {
    command = commandPath(action);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help) through io.
      return error.exitCode === 0 ? 0 : 2;
    }
    const options = program.opts<GlobalOptions>();
    const described = describeError(error, options.profile, command);
    io.stderr(
      options.json
        ? `${JSON.stringify({ error: { code: described.code, message: described.message } })}\n`
        : `error: ${described.message}\n`,
    );
    return described.exitCode;
  }
}

function buildProgram(io: CliIo): Command {
  const program = new Command('sechealth')
    .description(
      'Sec-Health command line: keys, registration, login, administration, records and grants',
    )
    .option(
      '--profile <name>',
      'profile to use (env SECHEALTH_PROFILE)',
      io.env.SECHEALTH_PROFILE || 'default',
    )
    .option(
      '--api <url>',
      `gateway URL (env SECHEALTH_API, else the profile's, else ${DEFAULT_API_URL})`,
    )
    .option('--json', 'print only JSON, for scripts')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError();
  const context = () => new CliContext(io, program.opts<GlobalOptions>());
  initCommand(program, context);
  registerCommand(program, context);
  loginCommand(program, context);
  keysCommand(program, context);
  whoamiCommand(program, context);
  orgCommand(program, context);
  participantsCommand(program, context);
  emergencyCommand(program, context);
  recordsCommand(program, context);
  grantsCommand(program, context);
  patientsCommand(program, context);
  policyCommand(program, context);
  return program;
}

/** "records get" for the `get` subcommand of `records`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
