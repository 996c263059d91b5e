import type { MachineInfo } from '../lib/machine';
import type { MachineScaling } from './machine-scaling';
import type { RowCounts } from '../../src/batches/batches.repository';
import type { Latencies } from './stats';

export interface RssSample {
  worker: number;
  /** Seconds since the worker was sampled first. */
  seconds: number;
  /** Rows of the batch done when the sample was taken (polled once a second). */
  done: number;
  rssMb: number;
  /** LibreOffice and its bridge, started by the worker: not counted in rssMb. */
  officeMb: number;
  children: string;
}

export interface ThroughputResult {
  workers: number;
  packets: number;
  /** From the upload's start to the batch's finishedAt. */
  seconds: number;
  packetsPerSecond: number;
  /** The upload alone: parsing, one encrypted case per row, enqueuing. */
  uploadMs: number;
  counts: RowCounts;
  verification: string;
  mergedInSample: string;
  workerPeakRssMb: number;
  officePeakRssMb: number;
  cpu: CpuShare;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
}

/** CPU seconds used while a batch ran, summed over the machine's CPUs. */
export interface CpuShare {
  /** Busy time over all CPUs' time: 100 means every CPU was busy throughout. */
  machineBusyPercent: number;
  busySeconds: number;
  /** The worker processes themselves. */
  workersSeconds: number;
  /** Their LibreOffice and its bridge. */
  officeSeconds: number;
  /** The service: the upload, the batch's progress, the harness's polling. */
  serviceSeconds: number;
  /** PostgreSQL, Redis, the harness and anything else running. */
  otherSeconds: number;
  busyMsPerPacket: number;
}

export interface MemoryResult {
  packets: number;
  warmupPackets: number;
  seconds: number;
  rssAfterWarmupMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  rssMaxAfterWarmupMb: number;
  /** (end - after warm-up) / after warm-up. */
  growthPercent: number;
  officeMaxMb: number;
  verification: string;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
  samples: RssSample[];
}

export interface LatencyRun {
  clients: number;
  /** Mean pause of each client between screens, in milliseconds. */
  thinkMs: number;
  seconds: number;
  answers: Latencies | undefined;
  starts: Latencies | undefined;
  statuses: Record<string, number>;
  completedInterviews: number;
  failures: number;
  refusals: Record<string, { count: number; first: string }>;
  batchRows?: number;
  /** Packets the workers finished while the clients ran. */
  packetsDuringRun?: number;
  /** False when the batch finished before the clients stopped. */
  batchRanThroughout?: boolean;
  loadAverageBefore?: number[];
  loadAverageAfter?: number[];
}

export interface BatchBenchReport {
  startedAt: string;
  command: string;
  options: object;
  /** Node options the workers ran with (package.json's worker script unless overridden). */
  workerNodeArgs: string;
  office: string;
  machine: MachineInfo;
  throughput: ThroughputResult[];
  twoVsOne?: number;
  /** Two CPU-bound processes against one on this machine: the ceiling for two workers. */
  machineScaling?: MachineScaling;
  latencyBaseline?: LatencyRun;
  latencyDuringBatch?: LatencyRun;
  memory?: MemoryResult;
}

const yesNo = (met: boolean | undefined) => (met === undefined ? '–' : met ? 'yes' : 'no');

function table(head: string[], rows: string[][], right: boolean[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const pad = (cells: string[]) =>
    `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [pad(head), rule, ...rows.map(pad)].join('\n');
}

function clientsLabel(r: LatencyRun | undefined): string {
  if (!r) return '';
  const pause = r.thinkMs > 0 ? `${r.thinkMs / 1000} s between screens` : 'no pause';
  return `${r.clients} clients, ${pause}`;
}

function latencyRow(what: string, r: LatencyRun | undefined): string[] {
  const a = r?.answers;
  const s = r?.starts;
  const n = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1));
  const errors = r
    ? Object.entries(r.statuses)
        .filter(([code]) => code !== '200' && code !== '201')
        .reduce((sum, [, count]) => sum + count, 0)
    : 0;
  return [
    what,
    String(a?.n ?? 0),
    r ? ((a?.n ?? 0) / r.seconds).toFixed(1) : '–',
    n(a?.p50),
    n(a?.p95),
    n(a?.p99),
    n(a?.max),
    String(s?.n ?? 0),
    n(s?.p50),
    n(s?.p99),
    String(errors),
  ];
}

export function renderBatchMarkdown(r: BatchBenchReport): string {
  const m = r.machine;
  const out: string[] = [
    `${r.startedAt}; ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB, Node ${m.node}; ` +
      `load average ${m.loadAverageBefore.join(' ')} before, ${m.loadAverageAfter.join(' ')} after.`,
    '',
    `Command: \`${r.command}\`. Office: ${r.office}. Worker node options: ${r.workerNodeArgs || 'none'}.`,
    '',
  ];
  if (r.throughput.length > 0) {
    out.push(
      table(
        [
          'Workers',
          'Packets',
          'Seconds',
          'Packets/s',
          'Upload ms',
          'Worker peak RSS MB',
          'Office peak RSS MB',
          'Load before',
          'Load after',
          'Verified',
        ],
        r.throughput.map((t) => [
          String(t.workers),
          String(t.packets),
          t.seconds.toFixed(1),
          t.packetsPerSecond.toFixed(3),
          String(t.uploadMs),
          t.workerPeakRssMb.toFixed(0),
          t.officePeakRssMb.toFixed(0),
          t.loadAverageBefore.join(' '),
          t.loadAverageAfter.join(' '),
          `yes (${t.mergedInSample} merged)`,
        ]),
        [true, true, true, true, true, true, true, false, false, false],
      ),
      '',
      table(
        [
          'Workers',
          'CPUs busy %',
          'Busy CPU s',
          'Workers s',
          'LibreOffice s',
          'Service s',
          'Other s',
          'Busy CPU ms per packet',
        ],
        r.throughput.map((t) => [
          String(t.workers),
          t.cpu.machineBusyPercent.toFixed(1),
          t.cpu.busySeconds.toFixed(1),
          t.cpu.workersSeconds.toFixed(1),
          t.cpu.officeSeconds.toFixed(1),
          t.cpu.serviceSeconds.toFixed(1),
          t.cpu.otherSeconds.toFixed(1),
          String(t.cpu.busyMsPerPacket),
        ]),
        [true, true, true, true, true, true, true, true],
      ),
      '',
    );
    const m = r.machineScaling;
    if (m) {
      out.push(
        `Machine: the same CPU-bound loop, ${m.seconds} s: one process ${m.one} loops/s, two at once ` +
          `${m.two} loops/s together, **${m.twoVsOne.toFixed(2)}x**: the most two workers could gain.`,
        '',
      );
    }
  }
  if (r.memory) {
    const x = r.memory;
    out.push(
      table(
        [
          'Memory run',
          'Packets',
          'Seconds',
          `RSS after ${x.warmupPackets} packets MB`,
          'RSS end MB',
          'RSS max MB',
          'Growth %',
          'Office max MB',
        ],
        [
          [
            '1 worker',
            String(x.packets),
            x.seconds.toFixed(0),
            x.rssAfterWarmupMb.toFixed(1),
            x.rssEndMb.toFixed(1),
            x.rssMaxMb.toFixed(1),
            x.growthPercent.toFixed(1),
            x.officeMaxMb.toFixed(0),
          ],
        ],
        [false, true, true, true, true, true, true, true],
      ),
      '',
    );
  }
  if (r.latencyBaseline || r.latencyDuringBatch) {
    out.push(
      table(
        [
          'Interview',
          'Screens n',
          'Screens/s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'max ms',
          'Starts n',
          'Start p50 ms',
          'Start p99 ms',
          'Non-2xx',
        ].map((h, i) =>
          i === 0 ? `Interview, ${clientsLabel(r.latencyBaseline ?? r.latencyDuringBatch)}` : h,
        ),
        [
          latencyRow('no batch', r.latencyBaseline),
          latencyRow(
            `batch on 2 workers (${r.latencyDuringBatch?.packetsDuringRun ?? 0} packets made meanwhile)`,
            r.latencyDuringBatch,
          ),
        ],
        [false, true, true, true, true, true, true, true, true, true, true],
      ),
      '',
    );
  }
  const p99 = r.latencyDuringBatch?.answers?.p99;
  const targets: string[][] = [
    [
      'two workers / one worker, packets/s',
      '≥ 1.7',
      r.twoVsOne === undefined
        ? '–'
        : `${r.twoVsOne.toFixed(2)}x${r.machineScaling ? ` (machine: ${r.machineScaling.twoVsOne.toFixed(2)}x)` : ''}`,
      yesNo(r.twoVsOne === undefined ? undefined : r.twoVsOne >= 1.7),
    ],
    [
      'worker RSS growth after warm-up',
      '< 10 %',
      r.memory ? `${r.memory.growthPercent.toFixed(1)} %` : '–',
      yesNo(r.memory ? r.memory.growthPercent < 10 : undefined),
    ],
    [
      'worker peak RSS',
      '< 400 MB',
      r.memory ? `${r.memory.rssMaxMb.toFixed(0)} MB` : '–',
      yesNo(r.memory ? r.memory.rssMaxMb < 400 : undefined),
    ],
    [
      'screen submission p99 during a batch',
      '< 50 ms',
      p99 === undefined ? '–' : `${p99.toFixed(1)} ms`,
      yesNo(p99 === undefined ? undefined : p99 < 50),
    ],
  ];
  out.push(table(['Target', 'Goal', 'Measured', 'Met'], targets, [false, false, true, false]));
  return out.join('\n');
}
