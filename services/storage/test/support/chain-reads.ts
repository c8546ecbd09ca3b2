import type { Contract, EventLog } from 'ethers';

export interface AnchoredEvent {
  readonly patientRef: string;
  readonly recordId: string;
  readonly version: number;
  readonly ciphertextHash: string;
  readonly authorRef: string;
  readonly metadataHash: string;
}

/** The RecordAnchored events of one patient, read from the chain with a plain ethers Contract. */
export async function recordAnchoredOf(
  registry: Contract,
  patientRef: string,
  fromBlock = 0,
): Promise<AnchoredEvent[]> {
  const logs = await registry.queryFilter(registry.filters.RecordAnchored!(patientRef), fromBlock);
  return logs
    .filter((log): log is EventLog => 'args' in log)
    .map((log) => ({
      patientRef: String(log.args.patientRef).toLowerCase(),
      recordId: String(log.args.recordId).toLowerCase(),
      version: Number(log.args.version),
      ciphertextHash: String(log.args.ciphertextHash).toLowerCase(),
      authorRef: String(log.args.authorRef).toLowerCase(),
      metadataHash: String(log.args.metadataHash).toLowerCase(),
    }));
}
