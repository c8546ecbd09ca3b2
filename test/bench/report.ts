// Benchmark reports: a table on stdout, and the same figures as Markdown and JSON under
// reports/bench/ (gitignored). A report never fails a run for a figure: BELOW is information.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { BenchOptions, Measurement } from './harness.js';

export type Unit = 'ops/s' | 'MB/s' | 'tx/s' | 'ms';
export type Status = 'PASS' | 'BELOW' | '-';

/** One line of a report: our figure against a floor measured in the same run. */
export interface ReportRow {
  readonly group: string;
  readonly name: string;
  readonly unit: Unit;
  /** Our figure (median), or null when it could not be measured. */
  readonly value: number | null;
  /** What the figure is compared with, e.g. `openssl speed` or a bare node:crypto loop. */
  readonly floorName: string | null;
  readonly floor: number | null;
  /** value / floor. */
  readonly ratio: number | null;
  /**
   * Ratio the issue asks for, or null when the row is informational: a minimum, or a maximum when
   * `better` is 'lower' (latencies).
   */
  readonly target: number | null;
  /** Present only for lower-is-better figures (latencies): the target is then a maximum ratio. */
  readonly better?: 'lower';
  readonly status: Status;
  /** Spread of our figure over the rounds (min..max), in `unit`. */
  readonly spread?: readonly [number, number];
  readonly note?: string;
}

export interface MachineInfo {
  readonly node: string;
  readonly v8: string;
  readonly nodeOpenssl: string;
  readonly opensslCli: string | null;
  readonly platform: string;
  readonly arch: string;
  readonly osRelease: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryGiB: number;
  readonly loadAverageAtStart: readonly number[];
}

export interface Report {
  readonly suite: string;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: MachineInfo;
  /** The harness options, for suites measured with measure() (harness.ts). */
  readonly options?: BenchOptions;
  /** How a suite that does not use the harness measured, printed in place of the harness line. */
  readonly method?: string;
  readonly rows: readonly ReportRow[];
  readonly notes: readonly string[];
}

export function opensslVersion(): string | null {
  try {
    return execFileSync('openssl', ['version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

export function machineInfo(): MachineInfo {
  return {
    node: process.version,
    v8: process.versions.v8,
    nodeOpenssl: process.versions.openssl,
    opensslCli: opensslVersion(),
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/** Figure of a measurement in the unit the row uses. */
export function figure(measurement: Measurement, unit: Unit): number {
  if (unit === 'ops/s' || unit === 'tx/s') return measurement.opsPerSec;
  if (unit === 'ms') {
    throw new Error(`measurement "${measurement.name}" is a rate, cannot report ms`);
  }
  if (measurement.mbPerSec === undefined) {
    throw new Error(`measurement "${measurement.name}" has no byte count, cannot report MB/s`);
  }
  return measurement.mbPerSec;
}

function spreadOf(measurement: Measurement, unit: Unit): readonly [number, number] {
  const scale = unit === 'MB/s' ? (measurement.mbPerSec ?? 0) / measurement.opsPerSec : 1;
  const values = measurement.roundsOpsPerSec.map((ops) => ops * scale);
  return [Math.min(...values), Math.max(...values)];
}

export interface RowInput {
  readonly group: string;
  readonly name: string;
  readonly unit: Unit;
  /** A harness measurement, or a figure measured otherwise (e.g. a latency percentile). */
  readonly value: Measurement | number | null;
  readonly floorName?: string;
  /** A measurement of the same run, or a figure from an external tool (openssl). */
  readonly floor?: Measurement | number | null;
  readonly target?: number;
  /** 'lower' for latencies: PASS when ratio <= target. Default: higher is better. */
  readonly better?: 'higher' | 'lower';
  /** Spread of a figure given as a number (a harness measurement brings its own). */
  readonly spread?: readonly [number, number];
  readonly note?: string;
}

export function row(input: RowInput): ReportRow {
  const value =
    input.value === null
      ? null
      : typeof input.value === 'number'
        ? input.value
        : figure(input.value, input.unit);
  const floor =
    input.floor === undefined || input.floor === null
      ? null
      : typeof input.floor === 'number'
        ? input.floor
        : figure(input.floor, input.unit);
  const ratio = value !== null && floor !== null && floor > 0 ? value / floor : null;
  const target = input.target ?? null;
  const lower = input.better === 'lower';
  const status: Status =
    target === null || ratio === null
      ? '-'
      : (lower ? ratio <= target : ratio >= target)
        ? 'PASS'
        : 'BELOW';
  const spread =
    input.value === null || typeof input.value === 'number'
      ? input.spread
      : spreadOf(input.value, input.unit);
  return {
    group: input.group,
    name: input.name,
    unit: input.unit,
    value,
    floorName: input.floorName ?? null,
    floor,
    ratio,
    target,
    ...(lower ? { better: 'lower' as const } : {}),
    status,
    ...(spread === undefined ? {} : { spread }),
    ...(input.note === undefined ? {} : { note: input.note }),
  };
}

function formatNumber(value: number | null): string {
  if (value === null) return 'n/a';
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function formatPercent(value: number | null): string {
  if (value === null) return '-';
  return `${(value * 100).toFixed(value >= 10 ? 0 : 1)}%`;
}

interface Cells {
  readonly name: string;
  readonly ours: string;
  readonly floorName: string;
  readonly floor: string;
  readonly ratio: string;
  readonly target: string;
  readonly status: string;
}

function cells(r: ReportRow): Cells {
  return {
    name: r.name,
    ours: `${formatNumber(r.value)} ${r.unit}`,
    floorName: r.floorName ?? '-',
    floor: r.floor === null ? (r.floorName === null ? '-' : 'n/a') : formatNumber(r.floor),
    ratio: formatPercent(r.ratio),
    target:
      r.target === null ? '-' : `${r.better === 'lower' ? '<=' : '>='} ${formatPercent(r.target)}`,
    status: r.status,
  };
}

const HEADERS: Cells = {
  name: 'Case',
  ours: 'Ours',
  floorName: 'Floor',
  floor: 'Floor value',
  ratio: 'Ratio',
  target: 'Target',
  status: 'Status',
};
const COLUMNS: readonly (keyof Cells)[] = [
  'name',
  'ours',
  'floorName',
  'floor',
  'ratio',
  'target',
  'status',
];
const RIGHT_ALIGNED: ReadonlySet<keyof Cells> = new Set(['ours', 'floor', 'ratio']);

function groups(rows: readonly ReportRow[]): Map<string, ReportRow[]> {
  const byGroup = new Map<string, ReportRow[]>();
  for (const r of rows) {
    const list = byGroup.get(r.group) ?? [];
    list.push(r);
    byGroup.set(r.group, list);
  }
  return byGroup;
}

/** Plain-text table for the terminal. */
export function formatTable(rows: readonly ReportRow[]): string {
  const all = [HEADERS, ...rows.map(cells)];
  const widths = COLUMNS.map((column) => Math.max(...all.map((c) => c[column].length)));
  const line = (c: Cells): string =>
    COLUMNS.map((column, i) => {
      const width = widths[i] ?? 0;
      return RIGHT_ALIGNED.has(column) ? c[column].padStart(width) : c[column].padEnd(width);
    })
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((sum, w) => sum + w + 2, -2));
  const out: string[] = [line(HEADERS), rule];
  for (const [group, list] of groups(rows)) {
    out.push(`[${group}]`);
    for (const r of list) out.push(line(cells(r)));
  }
  return out.join('\n');
}

function markdownEscape(text: string): string {
  return text.replaceAll('|', '\\|');
}

export function formatMarkdown(report: Report): string {
  const m = report.machine;
  const out: string[] = [
    `# Benchmark: ${report.suite}`,
    '',
    `Started ${report.startedAt}, took ${report.durationSeconds.toFixed(0)} s.`,
    '',
    '## Machine',
    '',
    `- Node ${m.node} (V8 ${m.v8}, OpenSSL ${m.nodeOpenssl}), ${m.platform}/${m.arch}, kernel ${m.osRelease}`,
    `- CPU: ${m.cpuModel}, ${m.cores} cores, ${m.totalMemoryGiB} GiB memory`,
    `- Load average at start: ${m.loadAverageAtStart.join(', ')}`,
    `- openssl CLI: ${m.opensslCli ?? 'not found'}`,
    ...(report.options
      ? [
          `- Each case: ${report.options.warmupMs} ms warm-up, then ${report.options.rounds} rounds of ${report.options.roundMs} ms interleaved with its floor; the median round is reported.`,
        ]
      : []),
    ...(report.method ? [`- Method: ${report.method}`] : []),
    '',
    'Ratio = ours / floor, both measured in this run. Absolute figures move a lot between runs on shared machines; compare ratios.',
    '',
  ];
  for (const [group, list] of groups(report.rows)) {
    out.push(`## ${group}`, '');
    out.push('| Case | Ours | Floor | Floor value | Ratio | Target | Status | Spread (min..max) |');
    out.push('|---|--:|---|--:|--:|--:|---|---|');
    for (const r of list) {
      const c = cells(r);
      const spread = r.spread ? `${formatNumber(r.spread[0])}..${formatNumber(r.spread[1])}` : '-';
      out.push(
        `| ${[c.name, c.ours, c.floorName, c.floor, c.ratio, c.target, c.status, spread]
          .map(markdownEscape)
          .join(' | ')} |`,
      );
    }
    const notes = list.filter((r) => r.note !== undefined);
    if (notes.length > 0) {
      out.push('');
      for (const r of notes) out.push(`- ${r.name}: ${r.note}`);
    }
    out.push('');
  }
  if (report.notes.length > 0) {
    out.push('## Notes', '');
    for (const note of report.notes) out.push(`- ${note}`);
    out.push('');
  }
  return out.join('\n');
}

/** The workspace root: the nearest folder above this file whose package.json is the root one. */
export function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
      if (Array.isArray(pkg.workspaces)) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** Writes reports/bench/<suite>-<timestamp>.{md,json}; returns both paths, relative to the root. */
export function writeReport(report: Report): { markdown: string; json: string } {
  const root = workspaceRoot();
  const dir = join(root, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  // ISO 8601 basic-ish: colons are not portable in file names.
  const stamp = report.startedAt.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  const base = join(dir, `${report.suite}-${stamp}`);
  writeFileSync(`${base}.md`, formatMarkdown(report));
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  return { markdown: relative(root, `${base}.md`), json: relative(root, `${base}.json`) };
}

/** Prints the table, the notes and the PASS/BELOW count, then writes the report files. */
export function printAndWriteReport(report: Report): void {
  const { rows, notes } = report;
  console.log('');
  console.log(formatTable(rows));
  for (const note of notes) console.log(`\n* ${note}`);
  const below = rows.filter((r) => r.status === 'BELOW');
  console.log(
    `\n${rows.filter((r) => r.status === 'PASS').length} PASS, ${below.length} BELOW target` +
      (below.length > 0 ? ` (${below.map((r) => r.name).join('; ')})` : ''),
  );
  const written = writeReport(report);
  console.log(`Report: ${written.markdown} and ${written.json}`);
}
