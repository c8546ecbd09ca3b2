// A small benchmark harness: warm each case up, then run the cases of a comparison in interleaved
// rounds (A, B, A, B, ...) for a fixed time each, and keep the median round. Interleaving means a
// figure and its floor see the same machine load, which matters on shared machines where absolute
// figures move by 2x from one hour to the next (see /work/shared/NOTES.md).
import { performance } from 'node:perf_hooks';

/** One operation to measure; it may be synchronous or return a promise (awaited per call). */
export interface BenchCase {
  readonly name: string;
  readonly run: () => unknown;
  /** Bytes processed per call: when set, throughput is also reported in MB/s (10^6 bytes/s). */
  readonly bytesPerOp?: number;
}

export interface BenchOptions {
  /** Time each case runs before measuring (JIT, caches, lazy initialization). */
  readonly warmupMs: number;
  /** Time of one measured round. */
  readonly roundMs: number;
  /** Measured rounds per case; the median is reported. */
  readonly rounds: number;
  /** A round lasts at least this many calls, however long they take. */
  readonly minOpsPerRound: number;
}

export const defaultBenchOptions: BenchOptions = {
  warmupMs: 200,
  roundMs: 300,
  rounds: 5,
  minOpsPerRound: 5,
};

export interface Measurement {
  readonly name: string;
  /** Median of the rounds, operations per second. */
  readonly opsPerSec: number;
  /** Median throughput in MB/s (10^6 bytes/s), when the case declares bytesPerOp. */
  readonly mbPerSec?: number;
  /** Ops/s of every round, in order: the spread shows how noisy the machine was. */
  readonly roundsOpsPerSec: readonly number[];
  readonly totalOps: number;
}

/** Results are kept here so no engine can prove a call useless and drop it. */
let sink: unknown;

/** The last value any case returned (exported only so the sink is observably live). */
export function lastResult(): unknown {
  return sink;
}

interface Round {
  readonly ops: number;
  readonly seconds: number;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

async function runRound(
  run: () => unknown,
  isAsync: boolean,
  ms: number,
  minOps: number,
): Promise<Round> {
  let ops = 0;
  const start = performance.now();
  const deadline = start + ms;
  let now: number;
  if (isAsync) {
    do {
      sink = await run();
      ops += 1;
      now = performance.now();
    } while (now < deadline || ops < minOps);
  } else {
    do {
      sink = run();
      ops += 1;
      now = performance.now();
    } while (now < deadline || ops < minOps);
  }
  return { ops, seconds: (now - start) / 1000 };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Measures the cases together: each is warmed up, then the rounds are interleaved across the cases
 * (round 1 of every case, then round 2, ...), so cases meant to be compared share the machine's
 * conditions. Returns one measurement per case, in the order given.
 */
export async function measure(
  cases: readonly BenchCase[],
  options: BenchOptions = defaultBenchOptions,
): Promise<Measurement[]> {
  const asyncFlags: boolean[] = [];
  for (const benchCase of cases) {
    const probe = benchCase.run();
    const isAsync = isThenable(probe);
    sink = isAsync ? await probe : probe;
    asyncFlags.push(isAsync);
    await runRound(benchCase.run, isAsync, options.warmupMs, 1);
  }
  const rounds: Round[][] = cases.map(() => []);
  for (let round = 0; round < options.rounds; round += 1) {
    for (const [index, benchCase] of cases.entries()) {
      const result = await runRound(
        benchCase.run,
        asyncFlags[index] as boolean,
        options.roundMs,
        options.minOpsPerRound,
      );
      rounds[index]?.push(result);
    }
  }
  return cases.map((benchCase, index) => {
    const perRound = (rounds[index] ?? []).map((r) => r.ops / r.seconds);
    const opsPerSec = median(perRound);
    const totalOps = (rounds[index] ?? []).reduce((sum, r) => sum + r.ops, 0);
    return {
      name: benchCase.name,
      opsPerSec,
      ...(benchCase.bytesPerOp === undefined
        ? {}
        : { mbPerSec: (opsPerSec * benchCase.bytesPerOp) / 1e6 }),
      roundsOpsPerSec: perRound,
      totalOps,
    };
  });
}
