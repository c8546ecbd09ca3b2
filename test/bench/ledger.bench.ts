// Ledger benchmark (issue 4): the transactional outbox (@sec-health/ledger OutboxSender draining
// @sec-health/persistence's outbox table to the chain) against a raw floor measured in the same
// run on the same chain: signed anchorRecord transactions sent straight to anvil, receipts polled.
// Reports; never fails on a figure, only on a crash (including a row that did not land).
//
// A fresh anvil (automine) and a fresh database. anvil slows as the chain grows (NOTES.md), so
// each figure and its floor are measured in interleaved rounds, floor-ours-ours-floor, and see
// the same chain length on average.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { contractArtifacts } from '@sec-health/contracts';
import {
  createProvider,
  deployOrLocate,
  enqueueLedgerIntent,
  grantRole,
  ledgerCallEncoder,
  ledgerIntent,
  OutboxSender,
  runAnchoredStep,
  type ChainDeployment,
  type LedgerIntent,
  type LedgerLogger,
} from '@sec-health/ledger';
import {
  createServiceDataSource,
  OutboxEntry,
  outboxMigrations,
  runMigrations,
} from '@sec-health/persistence';
import { provideChain, provideDatabase } from '@sec-health/testing';
import { id as keccakId, Interface, Wallet, type JsonRpcProvider } from 'ethers';
import type { DataSource, QueryRunner } from 'typeorm';

import { machineInfo, printAndWriteReport, row, type Report, type ReportRow } from './report.js';

const SUITE = 'ledger';
const SCHEMA = 'ledger_bench';

/**
 * Sizes. Two rounds of each (floor, ours, ours, floor); the totals are twice these. Kept small:
 * every anchor adds contract storage and anvil's per-block cost grows with it (a raw anchor took
 * ~7 ms on a fresh chain and ~40-100 ms after ~3,000 anchors here), which would both stretch the
 * run past 3 minutes and let anvil's mining, not the outbox, dominate every figure.
 */
const LATENCY_ROUND = 100;
const THROUGHPUT_ROUND = 300;
/** The raw sequential loop's throughput rounds (it is also measured for latency, earlier). */
const SEQUENTIAL_THROUGHPUT_ROUND = 150;
/** Calls per round-trip probe (eth_estimateGas, getFeeData) of the breakdown rows. */
const PROBE_CALLS = 50;
const WARMUP_LATENCY = 20;
const WARMUP_THROUGHPUT = 50;
/** Concurrent writers enqueueing outbox rows (one transaction per row). */
const WRITERS = 4;
/** Receipts fetched concurrently when checking a pipelined batch. */
const RECEIPT_CONCURRENCY = 32;
/** A phase that takes longer than this is a crash, not a figure. */
const PHASE_TIMEOUT_MS = 120_000;

/** Targets from issue 4. */
const TARGET = {
  /** Outbox anchors/s at least this share of the raw floor's tx/s. */
  throughput: 0.5,
  /** Awaited anchor p50 at most this multiple of the raw single-transaction p50. */
  latencyP50: 2,
} as const;

const GROUP = {
  throughput: 'Outbox throughput (tx/s)',
  latency: 'Awaited anchor latency (ms)',
  roundTrips: 'Where an awaited anchor spends its time (informational, ms)',
} as const;

const rows: ReportRow[] = [];
const notes: string[] = [];

function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`benchmark self-check failed: ${what}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// Figures

interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

function summarize(samplesMs: readonly number[]): LatencySummary {
  if (samplesMs.length === 0) throw new Error('no latency samples');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    min: round(sorted[0] as number),
    max: round(sorted[sorted.length - 1] as number),
    mean: round(sorted.reduce((sum, x) => sum + x, 0) / sorted.length),
  };
}

interface ThroughputRound {
  readonly count: number;
  readonly seconds: number;
}

interface ThroughputSummary {
  /** All rounds together: total transactions / total time. */
  readonly txPerSec: number;
  readonly roundsTxPerSec: readonly number[];
  readonly count: number;
  readonly seconds: number;
}

function throughput(rounds: readonly ThroughputRound[]): ThroughputSummary {
  const count = rounds.reduce((sum, r) => sum + r.count, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  return {
    txPerSec: count / seconds,
    roundsTxPerSec: rounds.map((r) => r.count / r.seconds),
    count,
    seconds,
  };
}

function spreadOf(values: readonly number[]): readonly [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

const fmt = (x: number): string => x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2);

// ---------------------------------------------------------------------------------------------
// Environment: a fresh database and anvil, the contracts, two writer accounts, the outbox

/** A distinct, non-zero bytes32 per label and number. */
function ref(label: string, n: number): string {
  return keccakId(`${label}:${n}`);
}

const AUTHOR = ref('author', 0);

/** The arguments of RecordRegistry.anchorRecord for record `n` of series `label`. */
function anchorArgs(label: string, n: number): [string, string, number, string, string, string] {
  return [
    ref('patient', n % 16),
    ref(`${label}-record`, n),
    1,
    ref(`${label}-ciphertext`, n),
    AUTHOR,
    ref(`${label}-metadata`, n),
  ];
}

function anchorIntent(label: string, n: number): LedgerIntent {
  const [patientRef, recordId, version, ciphertextHash, authorRef, metadataHash] = anchorArgs(
    label,
    n,
  );
  return ledgerIntent('RecordRegistry', 'anchorRecord', {
    patientRef,
    recordId,
    version,
    ciphertextHash,
    authorRef,
    metadataHash,
  });
}

/** Prints what the sender warns about (it should say nothing here) and counts it. */
function benchLogger(): LedgerLogger & { readonly complaints: string[] } {
  const complaints: string[] = [];
  const say = (level: string) => (message: string, details?: Record<string, unknown>) => {
    const line = `sender ${level}: ${message}${details ? ` ${JSON.stringify(details)}` : ''}`;
    complaints.push(line);
    progress(line);
  };
  return { complaints, info() {}, warn: say('warn'), error: say('error') };
}

interface Env {
  readonly provider: JsonRpcProvider;
  readonly chainId: number;
  readonly deployment: ChainDeployment;
  /** Signs the raw floor's transactions (its own account, so its nonces are its own). */
  readonly rawWallet: Wallet;
  readonly sender: OutboxSender;
  /** The application's data source: writers and anchored steps. */
  readonly app: DataSource;
  /** Hears every confirmed/failed row (the sender notifies `outbox_done_<schema>`). */
  readonly doneListener: DoneListener;
  readonly logger: ReturnType<typeof benchLogger>;
  readonly sources: { readonly database: string; readonly chain: string };
}

/** Cleanup steps, run in reverse order even when the benchmark fails. */
const cleanups: { readonly what: string; readonly run: () => Promise<unknown> }[] = [];

function onCleanup(what: string, run: () => Promise<unknown>): void {
  cleanups.push({ what, run });
}

async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const step = cleanups.pop()!;
    try {
      await step.run();
    } catch (error) {
      progress(`cleanup: ${step.what} failed: ${(error as Error).message}`);
    }
  }
}

async function setUp(): Promise<Env> {
  progress('starting a fresh PostgreSQL database and anvil (automine)');
  const [dbResult, chainResult] = await Promise.allSettled([provideDatabase(), provideChain()]);
  if (dbResult.status === 'fulfilled') onCleanup('drop the database', () => dbResult.value.drop());
  if (chainResult.status === 'fulfilled') onCleanup('stop anvil', () => chainResult.value.stop());
  if (dbResult.status === 'rejected') throw dbResult.reason;
  if (chainResult.status === 'rejected') throw chainResult.reason;
  const db = dbResult.value;
  const chain = chainResult.value;

  const dir = await mkdtemp(join(tmpdir(), 'ledger-bench-'));
  onCleanup('remove the address book', () => rm(dir, { recursive: true, force: true }));
  const provider = createProvider({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    requestTimeoutMs: 10_000,
  });
  onCleanup('destroy the provider', async () => provider.destroy());

  const [adminAccount, rawAccount, outboxAccount] = chain.accounts;
  check(outboxAccount !== undefined, 'the chain funds at least three accounts');
  const admin = new Wallet(adminAccount!.privateKey, provider);
  const rawWallet = new Wallet(rawAccount!.privateKey, provider);
  const outboxWallet = new Wallet(outboxAccount!.privateKey, provider);

  progress('deploying the contracts, granting ANCHOR_ROLE to the raw and outbox accounts');
  const deployment = await deployOrLocate({
    provider,
    chainId: chain.chainId,
    admin,
    addressBookPath: join(dir, 'contracts.json'),
  });
  await grantRole(deployment, admin, 'ANCHOR_ROLE', rawWallet.address);
  await grantRole(deployment, admin, 'ANCHOR_ROLE', outboxWallet.address);

  const dataSource = (applicationName: string, poolSize: number): DataSource => {
    const source = createServiceDataSource({
      url: db.url,
      schema: SCHEMA,
      applicationName,
      entities: [OutboxEntry],
      migrations: [...outboxMigrations],
      poolSize,
    });
    onCleanup(`destroy the ${applicationName} data source`, async () => {
      if (source.isInitialized) await source.destroy();
    });
    return source;
  };
  // Writers and anchored steps (runAnchoredStep holds three connections while it waits).
  const app = dataSource('ledger-bench-app', 16);
  await runMigrations(app);
  const senderSource = dataSource('ledger-bench-sender', 4);
  await runMigrations(senderSource);

  const doneListener = await DoneListener.start(app);
  onCleanup('stop listening', () => doneListener.stop());

  const logger = benchLogger();
  const sender = new OutboxSender({
    dataSource: senderSource,
    schema: SCHEMA,
    provider,
    signer: outboxWallet,
    encoder: ledgerCallEncoder(deployment),
    logger,
  });
  sender.start();
  onCleanup('stop the outbox sender', () => sender.stop());
  const deadline = Date.now() + 10_000;
  while (!sender.isLeader) {
    if (Date.now() > deadline) throw new Error('the outbox sender did not become leader in 10 s');
    await sleep(10);
  }
  return {
    provider,
    chainId: chain.chainId,
    deployment,
    rawWallet,
    sender,
    app,
    doneListener,
    logger,
    sources: { database: db.source, chain: chain.source },
  };
}

/** Counts the outbox rows the sender finished, by id, from its `outbox_done_<schema>` notices. */
class DoneListener {
  readonly #done = new Set<string>();
  #onChange: () => void = () => undefined;

  private constructor(private readonly runner: QueryRunner) {}

  static async start(dataSource: DataSource): Promise<DoneListener> {
    const runner = dataSource.createQueryRunner();
    const connection = (await runner.connect()) as {
      on(event: 'notification', listener: (message: { payload?: string }) => void): void;
    };
    const listener = new DoneListener(runner);
    connection.on('notification', (message) => {
      if (message.payload) listener.#done.add(message.payload);
      listener.#onChange();
    });
    await runner.query(`LISTEN "outbox_done_${SCHEMA}"`);
    return listener;
  }

  /** Resolves with the time at which every id of `ids()` was done; `ids` may still be growing. */
  waitFor(ids: () => { readonly all: readonly string[]; readonly complete: boolean }) {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#onChange = () => undefined;
        const { all } = ids();
        const missing = all.filter((id) => !this.#done.has(id)).length;
        reject(
          new Error(`${missing} of ${all.length} outbox rows not done in ${PHASE_TIMEOUT_MS} ms`),
        );
      }, PHASE_TIMEOUT_MS);
      this.#onChange = () => {
        const { all, complete } = ids();
        if (complete && all.every((id) => this.#done.has(id))) {
          const at = performance.now();
          clearTimeout(timer);
          this.#onChange = () => undefined;
          resolve(at);
        }
      };
      this.#onChange();
    });
  }

  /** Re-checks after the writers finish (the last notice may have come first). */
  poke(): void {
    this.#onChange();
  }

  async stop(): Promise<void> {
    await this.runner.query(`UNLISTEN *`).catch(() => undefined);
    await this.runner.release();
  }
}

// ---------------------------------------------------------------------------------------------
// Raw floor: signed transaction -> eth_sendRawTransaction -> eth_getTransactionReceipt

interface RawReceipt {
  readonly status: string;
}

class RawSender {
  readonly #iface = new Interface(contractArtifacts.RecordRegistry.abi);
  #nonce = 0;
  #gasLimit = 0n;
  #fees = { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n };
  sent = 0;

  constructor(private readonly env: Env) {}

  /** Nonce from the chain once, fees once, one gas estimate reused (with the sender's margin). */
  async prepare(): Promise<void> {
    const { provider, rawWallet, deployment } = this.env;
    this.#nonce = await provider.getTransactionCount(rawWallet.address, 'latest');
    const fees = await provider.getFeeData();
    check(fees.maxFeePerGas !== null, 'anvil reports EIP-1559 fees');
    this.#fees = {
      maxFeePerGas: fees.maxFeePerGas!,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas ?? 0n,
    };
    const estimate = await provider.estimateGas({
      from: rawWallet.address,
      to: deployment.contracts.RecordRegistry,
      data: this.#data(-1),
    });
    this.#gasLimit = (estimate * 12n) / 10n + 10_000n;
  }

  #data(n: number): string {
    return this.#iface.encodeFunctionData('anchorRecord', anchorArgs('raw', n));
  }

  /** Signs record `n`'s anchor with the next local nonce and broadcasts it; returns its hash. */
  async send(n: number): Promise<string> {
    const rawTx = await this.env.rawWallet.signTransaction({
      type: 2,
      chainId: this.env.chainId,
      nonce: this.#nonce,
      to: this.env.deployment.contracts.RecordRegistry,
      data: this.#data(n),
      gasLimit: this.#gasLimit,
      ...this.#fees,
    });
    this.#nonce += 1;
    this.sent += 1;
    return (await this.env.provider.send('eth_sendRawTransaction', [rawTx])) as string;
  }

  /** Polls the receipt back to back until it is there; fails unless the call succeeded. */
  async receipt(hash: string): Promise<void> {
    const deadline = Date.now() + PHASE_TIMEOUT_MS;
    for (;;) {
      const receipt = (await this.env.provider.send('eth_getTransactionReceipt', [
        hash,
      ])) as RawReceipt | null;
      if (receipt) {
        check(receipt.status === '0x1', `raw transaction ${hash} succeeded`);
        return;
      }
      if (Date.now() > deadline) throw new Error(`no receipt for ${hash}`);
    }
  }

  /** Times `calls` eth_estimateGas of an anchorRecord and `calls` getFeeData, as the sender does. */
  async probeRoundTrips(
    calls: number,
  ): Promise<{ estimateGas: LatencySummary; feeData: LatencySummary }> {
    const { provider, rawWallet, deployment } = this.env;
    const estimateGas: number[] = [];
    const feeData: number[] = [];
    for (let i = 0; i < calls; i += 1) {
      let t0 = performance.now();
      await provider.estimateGas({
        from: rawWallet.address,
        to: deployment.contracts.RecordRegistry,
        data: this.#data(-2 - i),
      });
      estimateGas.push(performance.now() - t0);
      t0 = performance.now();
      await provider.getFeeData();
      feeData.push(performance.now() - t0);
    }
    return { estimateGas: summarize(estimateGas), feeData: summarize(feeData) };
  }

  /** One transaction at a time: sign, send, poll until mined. Returns each latency in ms. */
  async sequential(
    first: number,
    count: number,
  ): Promise<{ samples: number[]; round: ThroughputRound }> {
    const samples: number[] = [];
    const start = performance.now();
    for (let n = first; n < first + count; n += 1) {
      const t0 = performance.now();
      await this.receipt(await this.send(n));
      samples.push(performance.now() - t0);
    }
    return { samples, round: { count, seconds: (performance.now() - start) / 1000 } };
  }

  /** Sends `count` transactions back to back (in nonce order), then waits for every receipt. */
  async pipelined(first: number, count: number): Promise<ThroughputRound> {
    const start = performance.now();
    const hashes: string[] = [];
    for (let n = first; n < first + count; n += 1) hashes.push(await this.send(n));
    for (let i = 0; i < hashes.length; i += RECEIPT_CONCURRENCY) {
      await Promise.all(hashes.slice(i, i + RECEIPT_CONCURRENCY).map((h) => this.receipt(h)));
    }
    return { count, seconds: (performance.now() - start) / 1000 };
  }
}

// ---------------------------------------------------------------------------------------------
// Ours: the outbox

/** Awaited anchors, one at a time: runAnchoredStep (enqueue, nudge, wait for the receipt). */
async function anchoredSteps(env: Env, first: number, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let n = first; n < first + count; n += 1) {
    const t0 = performance.now();
    const { receipt } = await runAnchoredStep({
      dataSource: env.app,
      schema: SCHEMA,
      idempotencyKey: `latency-${n}`,
      intent: anchorIntent('latency', n),
      timeoutMs: 30_000,
      work: async () => undefined,
      nudge: () => env.sender.nudge(),
    });
    samples.push(performance.now() - t0);
    check(receipt.txHash !== null, `anchored step ${n} was sent by this run`);
  }
  return samples;
}

/**
 * The measured anchored steps' rows, from their own timestamps (created_at: the enqueue
 * transaction's start; sent_at: markSent, before the broadcast; confirmed_at: markConfirmed).
 */
async function latencyStages(
  env: Env,
): Promise<{ createdToSent: LatencySummary; sentToConfirmed: LatencySummary }> {
  const stages = await env.app.query<{ createdToSent: string; sentToConfirmed: string }[]>(
    `SELECT extract(epoch FROM sent_at - created_at) * 1000 AS "createdToSent",
            extract(epoch FROM confirmed_at - sent_at) * 1000 AS "sentToConfirmed"
       FROM "${SCHEMA}".outbox WHERE idempotency_key ~ '^latency-[0-9]{1,3}$'`,
  );
  check(stages.length === 2 * LATENCY_ROUND, 'every measured anchored step has its outbox row');
  return {
    createdToSent: summarize(stages.map((r) => Number(r.createdToSent))),
    sentToConfirmed: summarize(stages.map((r) => Number(r.sentToConfirmed))),
  };
}

/**
 * `count` rows enqueued by WRITERS concurrent writers, one transaction each, with the sender
 * running; timed from the first enqueue until the sender has confirmed the last row.
 */
async function outboxRound(
  env: Env,
  label: string,
  first: number,
  count: number,
): Promise<ThroughputRound> {
  const ids: string[] = [];
  let written = false;
  const start = performance.now();
  const allDone = env.doneListener.waitFor(() => ({ all: ids, complete: written }));
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let n = first + w; n < first + count; n += WRITERS) {
        ids.push(
          await env.app.transaction((manager) =>
            enqueueLedgerIntent(manager, `${label}-${n}`, anchorIntent(label, n)),
          ),
        );
      }
    }),
  );
  written = true;
  env.doneListener.poke();
  const end = await allDone;
  const statuses = await env.app.query<{ status: string; n: number }[]>(
    `SELECT status, count(*)::int AS n FROM "${SCHEMA}".outbox WHERE id = ANY($1::bigint[]) GROUP BY status`,
    [ids],
  );
  check(
    statuses.length === 1 && statuses[0]?.status === 'confirmed' && statuses[0].n === count,
    `all ${count} outbox rows of ${label} confirmed (got ${JSON.stringify(statuses)})`,
  );
  return { count, seconds: (end - start) / 1000 };
}

// ---------------------------------------------------------------------------------------------

async function bench(env: Env): Promise<Record<string, unknown>> {
  const raw = new RawSender(env);
  await raw.prepare();

  progress(`warm-up: ${WARMUP_LATENCY} raw transactions and ${WARMUP_LATENCY} anchored steps`);
  await raw.sequential(1_000_000, WARMUP_LATENCY);
  await anchoredSteps(env, 1_000_000, WARMUP_LATENCY);
  await raw.pipelined(2_000_000, WARMUP_THROUGHPUT);
  await outboxRound(env, 'warmup', 0, WARMUP_THROUGHPUT);

  // Latency: floor, ours, ours, floor.
  const rawSamples: number[] = [];
  const anchorSamples: number[] = [];
  const latencyRound = async (which: 'raw' | 'outbox', round: number): Promise<void> => {
    const first = round * LATENCY_ROUND;
    if (which === 'raw') {
      const { samples } = await raw.sequential(first, LATENCY_ROUND);
      rawSamples.push(...samples);
      const s = summarize(samples);
      progress(
        `latency round ${round + 1}, raw: ${LATENCY_ROUND} tx one at a time, p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms`,
      );
    } else {
      const samples = await anchoredSteps(env, first, LATENCY_ROUND);
      anchorSamples.push(...samples);
      const s = summarize(samples);
      progress(
        `latency round ${round + 1}, outbox: ${LATENCY_ROUND} runAnchoredStep, p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms`,
      );
    }
  };
  await latencyRound('raw', 0);
  await latencyRound('outbox', 0);
  await latencyRound('outbox', 1);
  await latencyRound('raw', 1);

  const stages = await latencyStages(env);
  // What the sender pays per row besides the broadcast itself, at about this chain length.
  progress(`round trips: ${PROBE_CALLS} eth_estimateGas and ${PROBE_CALLS} getFeeData`);
  const probes = await raw.probeRoundTrips(PROBE_CALLS);

  // Throughput: floors, ours, ours, floors (each raw loop symmetric around the outbox rounds).
  const sequentialRounds: ThroughputRound[] = [];
  const pipelinedRounds: ThroughputRound[] = [];
  const outboxRounds: ThroughputRound[] = [];
  const report = (what: string, r: ThroughputRound): void =>
    progress(
      `throughput, ${what}: ${r.count} in ${r.seconds.toFixed(2)} s = ${fmt(r.count / r.seconds)} tx/s`,
    );
  const sequentialRound = async (round: number): Promise<void> => {
    const first = 20_000 + round * SEQUENTIAL_THROUGHPUT_ROUND;
    const { round: r } = await raw.sequential(first, SEQUENTIAL_THROUGHPUT_ROUND);
    sequentialRounds.push(r);
    report('raw sequential', r);
  };
  const pipelinedRound = async (round: number): Promise<void> => {
    const r = await raw.pipelined(10_000 + round * THROUGHPUT_ROUND, THROUGHPUT_ROUND);
    pipelinedRounds.push(r);
    report('raw pipelined', r);
  };
  const outboxThroughputRound = async (round: number): Promise<void> => {
    const r = await outboxRound(env, 'throughput', round * THROUGHPUT_ROUND, THROUGHPUT_ROUND);
    outboxRounds.push(r);
    report(`outbox, ${WRITERS} writers`, r);
  };
  await sequentialRound(0);
  await pipelinedRound(0);
  await outboxThroughputRound(0);
  await outboxThroughputRound(1);
  await pipelinedRound(1);
  await sequentialRound(1);

  const rawLatency = summarize(rawSamples);
  const anchorLatency = summarize(anchorSamples);
  const rawSequential = throughput(sequentialRounds);
  const rawPipelined = throughput(pipelinedRounds);
  const outbox = throughput(outboxRounds);
  const pipelinedIsBetter = rawPipelined.txPerSec >= rawSequential.txPerSec;
  const floor = pipelinedIsBetter ? rawPipelined : rawSequential;
  const floorName = pipelinedIsBetter ? 'raw pipelined (best raw)' : 'raw sequential (best raw)';

  rows.push(
    row({
      group: GROUP.throughput,
      name: `outbox anchors/s (${outbox.count} rows, ${WRITERS} writers, sender running)`,
      unit: 'tx/s',
      value: outbox.txPerSec,
      floorName,
      floor: floor.txPerSec,
      target: TARGET.throughput,
      spread: spreadOf(outbox.roundsTxPerSec),
    }),
    row({
      group: GROUP.throughput,
      name: `raw pipelined: ${rawPipelined.count} signed tx back to back, then receipts`,
      unit: 'tx/s',
      value: rawPipelined.txPerSec,
      spread: spreadOf(rawPipelined.roundsTxPerSec),
      ...(pipelinedIsBetter ? { note: 'the throughput floor (better of the two raw loops)' } : {}),
    }),
    row({
      group: GROUP.throughput,
      name: `raw sequential: ${rawSequential.count} tx, each awaited to its receipt`,
      unit: 'tx/s',
      value: rawSequential.txPerSec,
      spread: spreadOf(rawSequential.roundsTxPerSec),
      ...(pipelinedIsBetter ? {} : { note: 'the throughput floor (better of the two raw loops)' }),
    }),
    row({
      group: GROUP.latency,
      name: `awaited anchor p50 (runAnchoredStep, ${anchorLatency.count} sequential)`,
      unit: 'ms',
      value: anchorLatency.p50,
      floorName: 'raw single tx p50',
      floor: rawLatency.p50,
      target: TARGET.latencyP50,
      better: 'lower',
      spread: [anchorLatency.min, anchorLatency.max],
    }),
    row({
      group: GROUP.latency,
      name: 'awaited anchor p99',
      unit: 'ms',
      value: anchorLatency.p99,
      floorName: 'raw single tx p99',
      floor: rawLatency.p99,
      better: 'lower',
    }),
    row({
      group: GROUP.latency,
      name: `raw single tx p50 (sign, send, poll receipt; ${rawLatency.count} sequential)`,
      unit: 'ms',
      value: rawLatency.p50,
      spread: [rawLatency.min, rawLatency.max],
    }),
    row({ group: GROUP.latency, name: 'raw single tx p99', unit: 'ms', value: rawLatency.p99 }),
    row({
      group: GROUP.roundTrips,
      name: 'outbox row created -> sent p50 (sender wakes, fee data, estimate, sign, markSent)',
      unit: 'ms',
      value: stages.createdToSent.p50,
      spread: [stages.createdToSent.min, stages.createdToSent.max],
    }),
    row({
      group: GROUP.roundTrips,
      name: 'outbox row sent -> confirmed p50 (broadcast and mining, receipt, markConfirmed)',
      unit: 'ms',
      value: stages.sentToConfirmed.p50,
      spread: [stages.sentToConfirmed.min, stages.sentToConfirmed.max],
    }),
    row({
      group: GROUP.roundTrips,
      name: 'eth_estimateGas anchorRecord p50 (the sender: once per row)',
      unit: 'ms',
      value: probes.estimateGas.p50,
      spread: [probes.estimateGas.min, probes.estimateGas.max],
    }),
    row({
      group: GROUP.roundTrips,
      name: 'provider.getFeeData() p50 (the sender: once per batch)',
      unit: 'ms',
      value: probes.feeData.p50,
      spread: [probes.feeData.min, probes.feeData.max],
    }),
  );

  notes.push(
    `Throughput floor: ${floorName.replace(' (best raw)', '')} (${fmt(floor.txPerSec)} tx/s) was the better of ` +
      `raw pipelined (${fmt(rawPipelined.txPerSec)} tx/s) and raw sequential (${fmt(rawSequential.txPerSec)} tx/s). ` +
      'Raw loops: ethers Wallet.signTransaction (EIP-1559, local nonce, fees read once, one gas estimate reused), ' +
      'eth_sendRawTransaction and eth_getTransactionReceipt polled back to back, over the same provider ' +
      '(createProvider) the sender uses.',
    `Outbox throughput: ${WRITERS} writers each enqueue rows in their own transaction ` +
      '(enqueueLedgerIntent) while one OutboxSender (default options) drains them; timed from the ' +
      "first enqueue until the sender's notice that the last row is confirmed.",
    'Awaited anchor: runAnchoredStep with an empty state change and nudge = sender.nudge(): open a ' +
      'transaction, enqueue in a second one, wait for the confirmed row (LISTEN + read), commit. ' +
      'Latency rows: Ratio = ours / floor, lower is better; a target "<= 200%" is "at most 2x the raw p50". ' +
      'Spread of a latency row is the fastest..slowest sample.',
    'Each figure and its floor ran in interleaved rounds (floor, ours, ours, floor) on one chain, ' +
      'which grows by a block per transaction and slows as it grows (anvil automine cost grows with the ' +
      "contract's storage: every anchor adds slots). The raw sequential latency rounds come before the " +
      'throughput phase; its throughput rounds are separate and come first and last in that phase. ' +
      'On anvil automine eth_sendRawTransaction answers only once the block is mined, so "pipelined" ' +
      'sends cannot overlap mining and are about the sequential loop plus a receipt sweep.',
  );

  return {
    rawLatencyMs: rawLatency,
    anchorLatencyMs: anchorLatency,
    rawSequential,
    rawPipelined,
    roundTripsMs: probes,
    anchoredStepStagesMs: stages,
    outbox,
    throughputFloor: pipelinedIsBetter ? 'raw pipelined' : 'raw sequential',
    rawTransactionsSent: raw.sent,
  };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const started = performance.now();
  const machine = machineInfo();
  process.stderr.write(
    `ledger benchmark on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}\n`,
  );
  let details: Record<string, unknown>;
  let env: Env;
  try {
    env = await setUp();
    details = await bench(env);
    const blockNumber = await env.provider.getBlockNumber();
    details = { ...details, chainBlocksAtEnd: blockNumber, infrastructure: env.sources };
    notes.push(
      `Infrastructure: PostgreSQL from ${env.sources.database}, chain from ${env.sources.chain} ` +
        `(automine, ${blockNumber} blocks at the end).`,
    );
    if (env.logger.complaints.length > 0) {
      notes.push(
        `The sender logged ${env.logger.complaints.length} warnings/errors: ${env.logger.complaints.slice(0, 3).join('; ')}`,
      );
    }
  } finally {
    progress('cleaning up (sender, data sources, database, anvil)');
    await cleanUp();
  }

  const report: Report & { details: Record<string, unknown> } = {
    suite: SUITE,
    startedAt: startedAt.toISOString(),
    durationSeconds: (performance.now() - started) / 1000,
    machine,
    method:
      `fresh anvil (automine) and database; latency: ${2 * LATENCY_ROUND} sequential raw transactions vs ` +
      `${2 * LATENCY_ROUND} sequential runAnchoredStep calls; throughput: ${2 * SEQUENTIAL_THROUGHPUT_ROUND} raw ` +
      `sequential and ${2 * THROUGHPUT_ROUND} raw pipelined transactions vs ${2 * THROUGHPUT_ROUND} outbox rows; ` +
      `rounds interleaved (floors, ours, ours, floors) after a warm-up (${WARMUP_LATENCY} + ${WARMUP_THROUGHPUT} of each).`,
    rows,
    notes,
    details,
  };
  printAndWriteReport(report);
}

main().catch((error: unknown) => {
  console.error('ledger benchmark crashed:', error);
  process.exitCode = 1;
});
