import { contractNames, contractRoles, Roles, type RoleName } from '@sec-health/contracts';
import type { JsonRpcProvider } from 'ethers';

import { LedgerError, LedgerErrorCode } from '../errors.js';
import type { ChainDeployment } from './address-book.js';
import { connectContracts } from './clients.js';

/**
 * Fails a service's start unless `account` holds its writer `role` on the contract that has it:
 * without it every anchor would revert and the outbox would fill with rows that never land. The
 * authority grants the roles (AUTHORITY_LEDGER_WRITERS); services never administer them.
 * `service` and `keyVariable` name the service and its key variable in the message.
 */
export async function assertWriterRole(options: {
  readonly deployment: ChainDeployment;
  readonly provider: JsonRpcProvider;
  readonly role: RoleName;
  readonly account: string;
  readonly service: string;
  readonly keyVariable: string;
}): Promise<void> {
  const { deployment, provider, role, account } = options;
  const name = contractNames.find((n) => (contractRoles[n] as readonly RoleName[]).includes(role));
  if (name === undefined) throw new TypeError(`no contract has the writer role ${role}`);
  const contract = connectContracts(deployment, provider)[name];
  let holds: boolean;
  try {
    holds = await contract.hasRole(Roles[role], account);
  } catch (error) {
    throw new LedgerError(
      LedgerErrorCode.Unavailable,
      `ledger unavailable: reading ${role} on ${name} failed (${(error as Error).message.split('\n')[0]})`,
      {},
      { cause: error },
    );
  }
  if (!holds) {
    throw new LedgerError(
      LedgerErrorCode.InvalidConfig,
      `the ${options.service} chain account ${account} does not hold ${role} on ${name} (${deployment.contracts[name]}); have the authority grant it (AUTHORITY_LEDGER_WRITERS=${role}=${account}) or set ${options.keyVariable} to the account that holds it`,
      { account, contract: deployment.contracts[name] },
    );
  }
}
