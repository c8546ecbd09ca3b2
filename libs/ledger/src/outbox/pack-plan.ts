/**
 * Splits one round of outbox rows (in outbox order) into transactions. A run of consecutive rows
 * of a kind that packs is cut into packs of at most `packLimit(kind)` rows; every other row is a
 * transaction of its own. Nothing moves: a pack stands where its first row stood, so rows of other
 * kinds keep their place between packs. A limit of 1 (or less) means the kind does not pack.
 */
export function packRows<R extends { readonly kind: string }>(
  rows: readonly R[],
  packLimit: (kind: string) => number,
): R[][] {
  const sends: R[][] = [];
  let open: R[] | undefined;
  let limit = 1;
  for (const row of rows) {
    if (open !== undefined && open[0]!.kind === row.kind && open.length < limit) {
      open.push(row);
      continue;
    }
    limit = packLimit(row.kind);
    open = [row];
    sends.push(open);
  }
  return sends;
}
