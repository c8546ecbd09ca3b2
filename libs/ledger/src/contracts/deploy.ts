import {
  contractArtifacts,
  contractNames,
  contractRoles,
  Roles,
  type ContractName,
  type RoleName,
} from '@sec-health/contracts';
import { ContractFactory, getAddress, type JsonRpcProvider, type Wallet } from 'ethers';

import { LedgerError, LedgerErrorCode } from '../errors.js';
import { assertChain, unavailable } from '../provider.js';
import {
  readDeployment,
  withAddressBookLock,
  writeDeployment,
  type ChainDeployment,
} from './address-book.js';
import { connectContracts } from './clients.js';

export interface DeployOrLocateOptions {
  readonly provider: JsonRpcProvider;
  readonly chainId: number;
  /** The authority's account: deploys and administers roles (DEFAULT_ADMIN_ROLE). */
  readonly admin: Wallet;
  readonly addressBookPath: string;
  /**
   * When the address book names contracts that have no code on this chain (a development chain
   * started afresh), deploy again ('deploy') or refuse ('fail', for a real network).
   */
  readonly onMissingCode?: 'deploy' | 'fail';
}

export interface LocateOptions {
  readonly provider: JsonRpcProvider;
  readonly chainId: number;
  readonly addressBookPath: string;
}

/** Finds the contracts of this chain in the address book and checks that code is there. */
export async function locateContracts(options: LocateOptions): Promise<ChainDeployment> {
  await assertChain(options.provider, options.chainId);
  const deployment = await readDeployment(options.addressBookPath, options.chainId);
  if (!deployment) {
    throw new LedgerError(
      LedgerErrorCode.ContractMissing,
      `no contracts for chain ${options.chainId} in ${options.addressBookPath}; start the authority (it deploys them) or point LEDGER_ADDRESS_BOOK at the right file`,
      { chainId: options.chainId },
    );
  }
  const missing = await contractsWithoutCode(options.provider, deployment);
  if (missing.length > 0) {
    throw new LedgerError(
      LedgerErrorCode.ContractMissing,
      `chain ${options.chainId} has no code at the address book's ${missing.join(', ')}; the chain was reset: deploy again`,
      { chainId: options.chainId },
    );
  }
  return deployment;
}

/**
 * Deploy-or-locate (the authority at start): uses the deployment recorded for this chain when its
 * code is there, otherwise deploys the four contracts with `admin` as their administrator and
 * records them. Idempotent and safe to run from several processes at once.
 */
export async function deployOrLocate(options: DeployOrLocateOptions): Promise<ChainDeployment> {
  await assertChain(options.provider, options.chainId);
  return withAddressBookLock(options.addressBookPath, async () => {
    const known = await readDeployment(options.addressBookPath, options.chainId);
    if (known) {
      const missing = await contractsWithoutCode(options.provider, known);
      if (missing.length === 0) return known;
      if (options.onMissingCode !== 'deploy') {
        throw new LedgerError(
          LedgerErrorCode.ContractMissing,
          `chain ${options.chainId} has no code at the address book's ${missing.join(', ')}; refusing to deploy again (onMissingCode is 'fail')`,
          { chainId: options.chainId },
        );
      }
    }
    const deployment = await deployAll(options);
    await writeDeployment(options.addressBookPath, deployment);
    return deployment;
  });
}

async function deployAll(options: DeployOrLocateOptions): Promise<ChainDeployment> {
  const signer = options.admin.connect(options.provider);
  try {
    let nonce = await options.provider.getTransactionCount(signer.address, 'pending');
    const deployedAtBlock = await options.provider.getBlockNumber();
    const contracts = {} as Record<ContractName, string>;
    const pending = contractNames.map((name) => {
      const { abi, bytecode } = contractArtifacts[name];
      const factory = new ContractFactory(abi, bytecode, signer);
      return { name, deployed: factory.deploy(signer.address, { nonce: nonce++ }) };
    });
    for (const { name, deployed } of pending) {
      const contract = await deployed;
      await contract.waitForDeployment();
      contracts[name] = getAddress(await contract.getAddress());
    }
    return { chainId: options.chainId, deployedAtBlock, admin: signer.address, contracts };
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw unavailable('deploying the contracts failed', error);
  }
}

async function contractsWithoutCode(
  provider: JsonRpcProvider,
  deployment: ChainDeployment,
): Promise<ContractName[]> {
  const missing: ContractName[] = [];
  for (const name of contractNames) {
    let code: string;
    try {
      code = await provider.getCode(deployment.contracts[name]);
    } catch (error) {
      throw unavailable('reading contract code failed', error);
    }
    if (code === '0x') missing.push(name);
  }
  return missing;
}

/** Grants writer `role` to `account` on each contract that has that role; skips grants already held. */
export async function grantRole(
  deployment: ChainDeployment,
  admin: Wallet,
  role: RoleName,
  account: string,
): Promise<void> {
  const contracts = connectContracts(deployment, admin);
  for (const name of contractNames) {
    if (!(contractRoles[name] as readonly RoleName[]).includes(role)) continue;
    const contract = contracts[name];
    try {
      if (await contract.hasRole(Roles[role], account)) continue;
      const tx = await contract.grantRole(Roles[role], account);
      await tx.wait();
    } catch (error) {
      throw unavailable(`granting ${role} on ${name} to ${account} failed`, error);
    }
  }
}
