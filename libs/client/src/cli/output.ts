export type Row = readonly (readonly [label: string, value: string | number | null | undefined])[];

/** Aligned `label: value` lines; absent values are shown as "-". */
export function formatRecord(row: Row): string {
  const width = Math.max(...row.map(([label]) => label.length));
  return row
    .map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value ?? '-'}`)
    .join('\n')
    .concat('\n');
}

/** A table with a header line and columns as wide as their widest cell. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .concat('\n');
  return [headers, ...rows].map(line).join('');
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
