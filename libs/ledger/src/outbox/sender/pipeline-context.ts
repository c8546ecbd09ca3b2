import type { JsonRpcProvider, Wallet } from 'ethers';
import type { DataSource } from 'typeorm';

import type { LedgerLogger } from '../../logger.js';
import type { OutboxCallEncoder } from '../outbox-call.js';

export type Fees = Awaited<ReturnType<JsonRpcProvider['getFeeData']>>;

/** What the transaction pipeline is configured with (the sender's options, defaults applied). */
export interface PipelineOptions {
  readonly dataSource: DataSource;
  readonly schema: string;
  readonly provider: JsonRpcProvider;
  readonly signer: Wallet;
  readonly encoder: OutboxCallEncoder;
  readonly logger: LedgerLogger;
  readonly batchSize: number;
  /** Most rows of a packable kind in one transaction (1: no packing). */
  readonly maxBatch: number;
  readonly gasLimit: bigint | 'estimate';
  readonly feeTtlMs: number;
  readonly receiptTimeoutMs: number;
  readonly receiptPollMs: number;
}

/** What the pipeline remembers between rounds; reset when leadership starts or the chain fails. */
export interface PipelineState {
  /** The next nonce to sign with; undefined: read it from the chain first. */
  nonce: number | undefined;
  /** Whether rows may be in 'sent' state: at leadership start, after errors, after a stall. */
  mayHaveInFlight: boolean;
  fees: { readonly value: Fees; readonly at: number } | undefined;
}

/** The pipeline's steps share this: options, state, and the sender's sleep and stop flag. */
export interface PipelineContext {
  readonly options: PipelineOptions;
  readonly state: PipelineState;
  /** Sleeps up to `ms`; the sender's nudge ends it early. */
  sleep(ms: number): Promise<void>;
  stopping(): boolean;
}
