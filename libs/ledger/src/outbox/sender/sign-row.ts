import { outboxSenderSql as sql, type OutboxRow } from '@sec-health/persistence';
import { keccak256 } from 'ethers';

import { describeCause } from '../../errors.js';
import { isRevert } from '../chain-errors.js';
import type { EncodedCall } from '../outbox-call.js';
import { chainCall, TransientError } from './chain-call.js';
import type { Fees, PipelineContext } from './pipeline-context.js';
import { endOnRevert, estimateGas } from './revert-outcome.js';
import { settle } from './settle-rows.js';

/**
 * Encodes, signs and records one pending row (nonce, hash and raw bytes) before it is broadcast,
 * so a new leader after a crash re-broadcasts exactly this transaction. Returns the row ready to
 * broadcast, or undefined when it ended here (cannot be encoded, reverted, or was cancelled).
 * `inFlight`: rows of this batch signed before it and not yet settled.
 */
export async function signRow(
  ctx: PipelineContext,
  row: OutboxRow,
  fees: Fees,
  inFlight: OutboxRow[],
): Promise<OutboxRow | undefined> {
  const { dataSource, schema, signer, encoder, logger, gasLimit } = ctx.options;
  let call: EncodedCall;
  try {
    call = encoder.encode(row.kind, row.payload);
  } catch (error) {
    logger.error('outbox row cannot be encoded; marked failed', { id: row.id, kind: row.kind });
    await sql.markFailed(dataSource, schema, row.id, `cannot encode: ${describeCause(error)}`);
    return undefined;
  }
  let gas: bigint;
  try {
    gas = gasLimit === 'estimate' ? await estimateLimit(ctx, call) : gasLimit;
  } catch (error) {
    if (!isRevert(error)) throw new TransientError(describeCause(error));
    // A row may depend on an earlier one of this batch not yet mined: settle those, then retry once.
    if (inFlight.length === 0) return endOnRevert(ctx, row, error);
    await settle(ctx, inFlight.splice(0));
    try {
      gas = await estimateLimit(ctx, call);
    } catch (retryError) {
      return endOnRevert(ctx, row, retryError);
    }
  }
  const signed = await signCall(ctx, call, gas, fees);
  const claimed = await sql.markSent(dataSource, schema, row.id, {
    ...signed,
    sender: signer.address,
  });
  if (!claimed) return undefined; // cancelled by a waiter that timed out: never send it late
  ctx.state.nonce = signed.nonce + 1;
  return {
    ...row,
    status: 'sent',
    nonce: String(signed.nonce),
    txHash: signed.txHash,
    rawTx: signed.rawTx,
  };
}

/** A signed transaction, not yet recorded or broadcast. */
export interface SignedCall {
  readonly nonce: number;
  readonly txHash: string;
  readonly rawTx: string;
}

/**
 * Signs `call` with the next local nonce (read from the chain when unknown). The nonce moves on
 * only once the caller has recorded the transaction.
 */
export async function signCall(
  ctx: PipelineContext,
  call: EncodedCall,
  gas: bigint,
  fees: Fees,
): Promise<SignedCall> {
  const { provider, signer } = ctx.options;
  ctx.state.nonce ??= await chainCall(
    () => provider.getTransactionCount(signer.address, 'pending'),
    'nonce',
  );
  const nonce = ctx.state.nonce;
  const rawTx = await signer.signTransaction({
    to: call.to,
    data: call.data,
    nonce,
    gasLimit: gas,
    chainId: provider._network.chainId,
    ...(fees.maxFeePerGas !== null
      ? {
          type: 2,
          maxFeePerGas: fees.maxFeePerGas,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas ?? 0n,
        }
      : { type: 0, gasPrice: fees.gasPrice ?? 0n }),
  });
  return { nonce, txHash: keccak256(rawTx), rawTx };
}

/** Fee data, read again once it is older than `feeTtlMs`. */
export async function feeData(ctx: PipelineContext): Promise<Fees> {
  const { provider, feeTtlMs } = ctx.options;
  const cached = ctx.state.fees;
  if (cached && Date.now() - cached.at < feeTtlMs) return cached.value;
  const value = await chainCall(() => provider.getFeeData(), 'fee data');
  ctx.state.fees = { value, at: Date.now() };
  return value;
}

/** Estimated gas with a margin (state may change a little before the transaction is mined). */
export async function estimateLimit(ctx: PipelineContext, call: EncodedCall): Promise<bigint> {
  return ((await estimateGas(ctx, call)) * 12n) / 10n + 10_000n;
}
