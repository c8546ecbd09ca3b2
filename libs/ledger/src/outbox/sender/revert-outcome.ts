import { outboxSenderSql as sql, type OutboxRow } from '@sec-health/persistence';

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
