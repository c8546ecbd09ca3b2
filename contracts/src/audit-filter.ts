import { CodedError } from '@sec-health/errors';
import { type Filter, isHexString } from 'ethers';

/** A bad argument to a helper of this package. */
export class ContractsArgumentError extends CodedError<'CONTRACTS_INVALID_ARGUMENT'> {
  constructor(message: string) {
    super('CONTRACTS_INVALID_ARGUMENT', message);
  }
}

export interface PatientAuditFilterArgs {
  /** Addresses of the ledger contracts to read (normally all four). */
  readonly addresses: readonly string[];
  /** The patient's 32-byte pseudonymous reference (0x-prefixed hex). */
  readonly patientRef: string;
  readonly fromBlock: number;
  readonly toBlock: number;
}

/**
 * The `eth_getLogs` filter of one patient's audit trail in a bounded block range: every ledger
 * event that concerns a patient has patientRef as its first indexed parameter (topic 1); for
 * ParticipantRegistry a patient's participantRef is the patientRef.
 */
export function patientAuditFilter(args: PatientAuditFilterArgs): Filter {
  if (!isHexString(args.patientRef, 32)) {
    throw new ContractsArgumentError('patientRef must be 32 bytes of 0x-prefixed hex');
  }
  if (args.addresses.length === 0) {
    throw new ContractsArgumentError('addresses must name at least one contract');
  }
  const { fromBlock, toBlock } = args;
  if (!Number.isSafeInteger(fromBlock) || !Number.isSafeInteger(toBlock) || fromBlock < 0) {
    throw new ContractsArgumentError('fromBlock and toBlock must be non-negative integers');
  }
  if (toBlock < fromBlock) throw new ContractsArgumentError('toBlock is before fromBlock');
  return {
    address: [...args.addresses],
    topics: [null, args.patientRef.toLowerCase()],
    fromBlock,
    toBlock,
  };
}
