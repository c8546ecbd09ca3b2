const KIB = 1024;
const MIB = 1024 * 1024;

/** "Uploading 12.3 of 30.0 MiB (41%)": both figures in the total's unit. */
export function bytesProgressText(verb: string, done: number, total: number): string {
  const [unit, size] = total >= MIB ? ['MiB', MIB] : total >= KIB ? ['KiB', KIB] : ['bytes', 1];
  const digits = size === 1 ? 0 : 1;
  const figure = (n: number) => (n / size).toFixed(digits);
  return `${verb} ${figure(done)} of ${figure(total)} ${unit} (${percent(done, total)}%)`;
}

/** "Rotating 3 of 12 records". */
export function countProgressText(verb: string, done: number, total: number, noun: string): string {
  return `${verb} ${done} of ${total} ${noun}`;
}

function percent(done: number, total: number): number {
  if (total <= 0) return 100;
  return Math.min(100, Math.floor((done / total) * 100));
}
