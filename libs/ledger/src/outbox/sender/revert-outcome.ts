import { outboxSenderSql as sql, type OutboxRow } from '@sec-health/persistence';
import { Transaction } from 'ethers';

import { describeCause } from '../../errors.js';
import { isRevert, revertData } from '../chain-errors.js';
import type { EncodedCall } from '../outbox-call.js';
import { TransientError } from './chain-call.js';
import type { PipelineContext } from './pipeline-context.js';

/** eth_estimateGas of a row's call from the sender; also how a mined revert is replayed to name it. */
export function estimateGas(ctx: PipelineContext, call: EncodedCall): Promise<bigint> {
  return ctx.options.provider.estimateGas({ ...call, from: ctx.options.signer.address });
}

/**
 * Ends a row whose call reverted: confirmed when the revert means "already anchored" (its effect
 * is on chain from an earlier transaction), otherwise failed and logged. An error that is not a
 * revert is the network failing: TransientError, and the row stays as it is.
 */
export async function endOnRevert(
  ctx: PipelineContext,
  row: OutboxRow,
  error: unknown,
): Promise<undefined> {
  if (!isRevert(error)) throw new TransientError(describeCause(error));
  const { dataSource, schema, encoder, logger } = ctx.options;
  const data = revertData(error);
  const decoded = data ? encoder.decodeRevert(data) : undefined;
  if (decoded && encoder.isAlreadyAnchored(row.kind, decoded)) {
    await sql.markConfirmed(dataSource, schema, row.id, {
      txHash: null,
      blockNumber: null,
      note: `already anchored (${decoded.name})`,
    });
    return undefined;
  }
  const reason = decoded ? `reverted: ${decoded.name}` : `reverted: ${describeCause(error)}`;
  logger.error('outbox row reverted; marked failed', { id: row.id, kind: row.kind, reason });
  await sql.markFailed(dataSource, schema, row.id, reason);
  return undefined;
}

/**
 * Ends a row whose mined transaction `txHash` reverted, by replaying the row's own call now: a
 * revert names why (endOnRevert). When the call would succeed, a row that shared a packed
 * transaction with others goes back to pending (another row of the pack made it revert; the next
 * round estimates the pack first and sends rows one by one if it would revert again); a row that
 * had a transaction of its own fails.
 */
export async function endMinedRevert(
  ctx: PipelineContext,
  row: OutboxRow,
  txHash: string,
): Promise<void> {
  const { dataSource, schema, encoder } = ctx.options;
  let call: EncodedCall;
  try {
    call = encoder.encode(row.kind, row.payload);
    await estimateGas(ctx, call);
  } catch (error) {
    await endOnRevert(ctx, row, error);
    return;
  }
  if (row.rawTx !== null && Transaction.from(row.rawTx).data !== call.data) {
    await sql.markPendingAgain(
      dataSource,
      schema,
      row.id,
      `packed transaction ${txHash} reverted; sent again`,
    );
    return;
  }
  await sql.markFailed(dataSource, schema, row.id, `transaction ${txHash} reverted`);
}
