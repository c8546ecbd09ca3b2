import {
  ConsentLedger__factory,
  EmergencyAccessLog__factory,
  ParticipantRegistry__factory,
  RecordRegistry__factory,
  type ConsentLedger,
  type EmergencyAccessLog,
  type ParticipantRegistry,
  type RecordRegistry,
} from '@sec-health/contracts';
import type { ContractRunner } from 'ethers';

import type { ChainDeployment } from './address-book.js';

/** Typed (typechain) handles on the four contracts: readers with a provider, writers with a signer. */
export interface LedgerContracts {
  readonly ParticipantRegistry: ParticipantRegistry;
  readonly RecordRegistry: RecordRegistry;
  readonly ConsentLedger: ConsentLedger;
  readonly EmergencyAccessLog: EmergencyAccessLog;
}

export function connectContracts(
  deployment: ChainDeployment,
  runner: ContractRunner,
): LedgerContracts {
  const { contracts } = deployment;
  return {
    ParticipantRegistry: ParticipantRegistry__factory.connect(
      contracts.ParticipantRegistry,
      runner,
    ),
    RecordRegistry: RecordRegistry__factory.connect(contracts.RecordRegistry, runner),
    ConsentLedger: ConsentLedger__factory.connect(contracts.ConsentLedger, runner),
    EmergencyAccessLog: EmergencyAccessLog__factory.connect(contracts.EmergencyAccessLog, runner),
  };
}
