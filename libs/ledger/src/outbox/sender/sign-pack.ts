import { outboxSenderSql as sql, type OutboxRow } from '@sec-health/persistence';

import { describeCause } from '../../errors.js';
import { isRevert } from '../chain-errors.js';
import type { EncodedCall } from '../outbox-call.js';
import { TransientError } from './chain-call.js';
import type { Fees, PipelineContext } from './pipeline-context.js';
import { settle } from './settle-rows.js';
import { estimateLimit, signCall } from './sign-row.js';

/** A row of the pack was no longer pending when it was to be recorded. */
class PackUnclaimed extends Error {}

/**
 * Signs ONE transaction carrying every row of `rows` (consecutive pending rows of one kind that
 * packs), records it on all of them in one database transaction before it is broadcast, and
 * returns the rows ready to broadcast. Its gas limit is always estimated: a pack's size varies,
 * and a revert found here (a row that conflicts with the chain) costs no nonce. Returns undefined
 * when the pack would revert, cannot be encoded, or holds a row cancelled meanwhile: the caller
 * then sends the rows one by one, so the good ones land and a bad one ends as it would alone.
 * `inFlight`: rows of this round signed before these and not yet settled.
 */
export async function signPack(
  ctx: PipelineContext,
  rows: readonly OutboxRow[],
  fees: Fees,
  inFlight: OutboxRow[],
): Promise<OutboxRow[] | undefined> {
  const { dataSource, schema, signer, encoder, logger } = ctx.options;
  const kind = rows[0]!.kind;
  let call: EncodedCall;
  try {
    call = encoder.encodePacked(
      kind,
      rows.map((row) => row.payload),
    );
  } catch (error) {
    logger.warn('outbox rows cannot be packed; sending them one by one', {
      kind,
      rows: rows.length,
      cause: describeCause(error),
    });
    return undefined;
  }
  const gas = await packGas(ctx, call, inFlight);
  if (gas === undefined) return undefined;
  const signed = await signCall(ctx, call, gas, fees);
  const fields = { ...signed, sender: signer.address };
  try {
    await dataSource.transaction(async (manager) => {
      for (const row of rows) {
        if (!(await sql.markSent(manager, schema, row.id, fields))) throw new PackUnclaimed();
      }
    });
  } catch (error) {
    if (error instanceof PackUnclaimed) return undefined;
    throw error;
  }
  ctx.state.nonce = signed.nonce + 1;
  const sent = { status: 'sent', nonce: String(signed.nonce), txHash: signed.txHash } as const;
  return rows.map((row) => ({ ...row, ...sent, rawTx: signed.rawTx }));
}

/**
 * The pack's gas limit, or undefined when it reverts. A row may conflict only with an earlier row
 * of this round not yet mined: settle those first, then estimate once more.
 */
async function packGas(
  ctx: PipelineContext,
  call: EncodedCall,
  inFlight: OutboxRow[],
): Promise<bigint | undefined> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await estimateLimit(ctx, call);
    } catch (error) {
      if (!isRevert(error)) throw new TransientError(describeCause(error));
      if (attempt > 0 || inFlight.length === 0) return undefined;
      await settle(ctx, inFlight.splice(0));
    }
  }
}
