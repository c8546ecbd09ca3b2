import {
  ConsentLedger__factory,
  EmergencyAccessLog__factory,
  ParticipantRegistry__factory,
  RecordRegistry__factory,
} from './generated/typechain/index.js';

/** ABI and creation bytecode of every deployable contract, by contract name. */
export const contractArtifacts = {
  ParticipantRegistry: {
    abi: ParticipantRegistry__factory.abi,
    bytecode: ParticipantRegistry__factory.bytecode,
  },
  RecordRegistry: { abi: RecordRegistry__factory.abi, bytecode: RecordRegistry__factory.bytecode },
  ConsentLedger: { abi: ConsentLedger__factory.abi, bytecode: ConsentLedger__factory.bytecode },
  EmergencyAccessLog: {
    abi: EmergencyAccessLog__factory.abi,
    bytecode: EmergencyAccessLog__factory.bytecode,
  },
} as const;

export type ContractName = keyof typeof contractArtifacts;
export const contractNames = Object.keys(contractArtifacts) as readonly ContractName[];

type AbiEntry<C extends ContractName> = (typeof contractArtifacts)[C]['abi'][number];

/** Names of the custom errors in contract `C`'s ABI (its own and AccessControl's). */
export type ContractErrorName<C extends ContractName> = Extract<
  AbiEntry<C>,
  { type: 'error' }
>['name'];

/** Names of the state-changing functions in contract `C`'s ABI. */
export type ContractWriteName<C extends ContractName> = Extract<
  AbiEntry<C>,
  { type: 'function'; stateMutability: 'nonpayable' }
>['name'];
