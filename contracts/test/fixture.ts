/**
 * Deploys the four contracts on a fresh anvil, grants each writer role to its own account, and
 * sends transactions with locally tracked nonces (a call that reverts in gas estimation is never
 * broadcast, so it consumes no nonce). Gas of every mined write is recorded for the report.
 */
import {
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type HDNodeWallet,
  type Interface,
  hexlify,
  isCallException,
  randomBytes,
} from 'ethers';
import { expect } from 'vitest';

import {
  type ConsentLedger,
  ConsentLedger__factory,
  type EmergencyAccessLog,
  EmergencyAccessLog__factory,
  type ParticipantRegistry,
  ParticipantRegistry__factory,
  type RecordRegistry,
  RecordRegistry__factory,
  Roles,
} from '../src/index.js';
import { type Anvil, type AnvilOptions, startAnvil } from './anvil.js';

export interface Contracts {
  readonly participants: ParticipantRegistry;
  readonly records: RecordRegistry;
  readonly consents: ConsentLedger;
  readonly emergency: EmergencyAccessLog;
}

type Overrides = { nonce: number };

/** Gas used per write, by label; printed with console.table. */
export class GasLog {
  private readonly entries = new Map<string, bigint[]>();

  record(label: string, gasUsed: bigint): void {
    const list = this.entries.get(label) ?? [];
    list.push(gasUsed);
    this.entries.set(label, list);
  }

  print(title: string): void {
    const rows = [...this.entries].map(([write, list]) => ({
      write,
      calls: list.length,
      first: Number(list[0]),
      min: Number(list.reduce((a, b) => (b < a ? b : a))),
      max: Number(list.reduce((a, b) => (b > a ? b : a))),
    }));
    console.log(`gas per write: ${title}`);
    console.table(rows);
  }
}

/** One account sending transactions, with the four contracts connected to it. */
export class Sender {
  readonly contracts: Contracts;
  private nonce: number | undefined;

  constructor(
    readonly wallet: HDNodeWallet,
    contracts: Contracts,
    private readonly gas: GasLog,
  ) {
    this.contracts = {
      participants: contracts.participants.connect(wallet),
      records: contracts.records.connect(wallet),
      consents: contracts.consents.connect(wallet),
      emergency: contracts.emergency.connect(wallet),
    };
  }

  get address(): string {
    return this.wallet.address;
  }

  /** Sends one write, waits for its receipt, records its gas under `label`. */
  async send(
    label: string,
    submit: (c: Contracts, overrides: Overrides) => Promise<ContractTransactionResponse>,
  ): Promise<ContractTransactionReceipt> {
    this.nonce ??= await this.wallet.getNonce('latest');
    const tx = await submit(this.contracts, { nonce: this.nonce });
    this.nonce += 1;
    const receipt = await tx.wait(1, 10_000);
    if (!receipt || receipt.status !== 1) throw new Error(`${label}: transaction failed`);
    this.gas.record(label, receipt.gasUsed);
    return receipt;
  }
}

export interface Ledger {
  readonly anvil: Anvil;
  readonly gas: GasLog;
  /** Read-only contracts (connected to the provider). */
  readonly contracts: Contracts;
  readonly deployBlock: number;
  readonly admin: Sender;
  readonly attester: Sender;
  readonly anchorer: Sender;
  readonly consenter: Sender;
  readonly callCenter: Sender;
  readonly servers: readonly [Sender, Sender];
  readonly reviewer: Sender;
  /** Holds no role. */
  readonly stranger: Sender;
}

async function deploy<T>(
  label: string,
  gas: GasLog,
  nonce: number,
  start: (
    overrides: Overrides,
  ) => Promise<T & { deploymentTransaction(): ContractTransactionResponse | null }>,
): Promise<T> {
  const contract = await start({ nonce });
  const receipt = await contract.deploymentTransaction()!.wait(1, 10_000);
  if (!receipt || receipt.status !== 1) throw new Error(`deploy ${label} failed`);
  gas.record(`deploy ${label}`, receipt.gasUsed);
  return contract;
}

/** Starts anvil, deploys the four contracts with account 0 as admin and grants the writer roles. */
export async function setUpLedger(options: AnvilOptions = {}): Promise<Ledger> {
  const anvil = await startAnvil(options);
  try {
    const gas = new GasLog();
    const adminWallet = anvil.wallet(0);
    const admin = adminWallet.address;
    let nonce = await adminWallet.getNonce('latest');
    const deployBlock = await anvil.provider.getBlockNumber();
    const contracts: Contracts = {
      participants: await deploy('ParticipantRegistry', gas, nonce++, (o) =>
        new ParticipantRegistry__factory(adminWallet).deploy(admin, o),
      ),
      records: await deploy('RecordRegistry', gas, nonce++, (o) =>
        new RecordRegistry__factory(adminWallet).deploy(admin, o),
      ),
      consents: await deploy('ConsentLedger', gas, nonce++, (o) =>
        new ConsentLedger__factory(adminWallet).deploy(admin, o),
      ),
      emergency: await deploy('EmergencyAccessLog', gas, nonce++, (o) =>
        new EmergencyAccessLog__factory(adminWallet).deploy(admin, o),
      ),
    };
    const readOnly: Contracts = {
      participants: contracts.participants.connect(anvil.provider),
      records: contracts.records.connect(anvil.provider),
      consents: contracts.consents.connect(anvil.provider),
      emergency: contracts.emergency.connect(anvil.provider),
    };
    const sender = (index: number) => new Sender(anvil.wallet(index), readOnly, gas);
    const ledger: Ledger = {
      anvil,
      gas,
      contracts: readOnly,
      deployBlock,
      admin: sender(0),
      attester: sender(1),
      anchorer: sender(2),
      consenter: sender(3),
      callCenter: sender(4),
      servers: [sender(5), sender(6)],
      reviewer: sender(7),
      stranger: sender(8),
    };
    const grants: [keyof Contracts, string, Sender][] = [
      ['participants', Roles.ATTESTER_ROLE, ledger.attester],
      ['records', Roles.ANCHOR_ROLE, ledger.anchorer],
      ['consents', Roles.CONSENT_ROLE, ledger.consenter],
      ['emergency', Roles.SESSION_ROLE, ledger.callCenter],
      ['emergency', Roles.RELEASE_ROLE, ledger.servers[0]],
      ['emergency', Roles.RELEASE_ROLE, ledger.servers[1]],
      ['emergency', Roles.REVIEW_ROLE, ledger.reviewer],
    ];
    for (const [contract, role, grantee] of grants) {
      await ledger.admin.send('grantRole', (c, o) =>
        c[contract].grantRole(role, grantee.address, o),
      );
    }
    return ledger;
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}

/** A random 32-byte reference or hash (lowercase hex, as ethers decodes bytes32). */
export function ref(): string {
  return hexlify(randomBytes(32));
}

/**
 * Awaits `promise`, expects it to reject with a call exception whose revert data decodes, with
 * `iface`, to the custom error `name` with exactly `args`.
 */
export async function expectRevert(
  promise: Promise<unknown>,
  iface: Interface,
  name: string,
  args: readonly unknown[],
): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  expect(error, `expected a revert with ${name}`).toBeDefined();
  if (!isCallException(error)) throw error;
  expect(error.data, `revert data of ${name}`).toMatch(/^0x[0-9a-f]{8}/);
  const decoded = iface.parseError(error.data!);
  expect(decoded?.name).toBe(name);
  expect(decoded?.args.toArray()).toEqual(args);
}

/** The events of a receipt, decoded with `iface`, as { name, args } (logs of other ABIs skipped). */
export function eventsOf(
  receipt: ContractTransactionReceipt,
  iface: Interface,
): { name: string; args: unknown[] }[] {
  return receipt.logs.flatMap((log) => {
    const parsed = iface.parseLog(log);
    return parsed ? [{ name: parsed.name, args: parsed.args.toArray(true) }] : [];
  });
}
