import type { Command } from 'commander';

import type { CliContext } from '../context.js';
import { PATIENT_GRANT_COLUMNS, patientGrantCells } from './grant-view.js';

export function patientsCommand(program: Command, context: () => CliContext): void {
  program
    .command('patients')
    .description('The patients with an active grant to you, with its scope and expiry')
    .action(async () => {
      const ctx = context();
      const client = await ctx.authenticatedClient();
      const list = await ctx.progress('Fetching', () => client.call('grants.patients', {}));
      ctx.printTable(list, PATIENT_GRANT_COLUMNS, patientGrantCells(list));
    });
}
