import {
  connectContracts,
  LedgerError,
  LedgerErrorCode,
  type ChainDeployment,
} from '@sec-health/ledger';
import type { JsonRpcProvider } from 'ethers';

/**
 * Fails the start unless `account` holds SESSION_ROLE on EmergencyAccessLog: without it no
 * session could open (every SessionOpened would revert) and closings would pile up unanchored.
 * The authority grants the role (its AUTHORITY_LEDGER_WRITERS); this service never administers
 * roles.
 */
export async function assertSessionRole(
  deployment: ChainDeployment,
  provider: JsonRpcProvider,
  account: string,
): Promise<void> {
  const log = connectContracts(deployment, provider).EmergencyAccessLog;
  let holds: boolean;
  try {
    holds = await log.hasRole(await log.SESSION_ROLE(), account);
  } catch (error) {
    throw new LedgerError(
      LedgerErrorCode.Unavailable,
      `ledger unavailable: reading SESSION_ROLE on EmergencyAccessLog failed (${(error as Error).message.split('\n')[0]})`,
      {},
      { cause: error },
    );
  }
  if (!holds) {
    throw new LedgerError(
      LedgerErrorCode.InvalidConfig,
      `the call-center chain account ${account} does not hold SESSION_ROLE on EmergencyAccessLog (${deployment.contracts.EmergencyAccessLog}); have the authority grant it (AUTHORITY_LEDGER_WRITERS=SESSION_ROLE=${account}) or set CALLCENTER_CHAIN_KEY to the account that holds it`,
      { account, contract: deployment.contracts.EmergencyAccessLog },
    );
  }
}
