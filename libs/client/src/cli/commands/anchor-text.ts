import type { RecordVersion } from '@sec-health/protocol';

type Anchor = RecordVersion['anchor'];

/** "confirmed (tx 0x.., block 12)", or the bare status before a transaction exists. */
export function anchorText(anchor: Anchor | null | undefined): string | undefined {
  if (!anchor) return undefined;
  if (anchor.txHash === null) return anchor.status;
  return `${anchor.status} (tx ${anchor.txHash}, block ${anchor.blockNumber ?? '?'})`;
}
