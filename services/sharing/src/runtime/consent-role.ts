import {
  connectContracts,
  LedgerError,
  LedgerErrorCode,
  type ChainDeployment,
} from '@sec-health/ledger';
import type { JsonRpcProvider } from 'ethers';

/**
 * Fails the start unless `account` holds CONSENT_ROLE on ConsentLedger: without it every anchor
 * would revert, and grants would pile up unanchored. The authority grants the role (its
 * AUTHORITY_LEDGER_WRITERS); the sharing service never administers roles.
 */
export async function assertConsentRole(
  deployment: ChainDeployment,
  provider: JsonRpcProvider,
  account: string,
): Promise<void> {
  const ledger = connectContracts(deployment, provider).ConsentLedger;
  let holds: boolean;
  try {
    holds = await ledger.hasRole(await ledger.CONSENT_ROLE(), account);
  } catch (error) {
    throw new LedgerError(
      LedgerErrorCode.Unavailable,
      `ledger unavailable: reading CONSENT_ROLE on ConsentLedger failed (${(error as Error).message.split('\n')[0]})`,
      {},
      { cause: error },
    );
  }
  if (!holds) {
    throw new LedgerError(
      LedgerErrorCode.InvalidConfig,
      `the sharing chain account ${account} does not hold CONSENT_ROLE on ConsentLedger (${deployment.contracts.ConsentLedger}); have the authority grant it (AUTHORITY_LEDGER_WRITERS=CONSENT_ROLE=${account}) or set SHARING_CHAIN_KEY to the account that holds it`,
      { account, contract: deployment.contracts.ConsentLedger },
    );
  }
}
