import { cpus, loadavg, totalmem } from 'node:os';

/** The machine a run was made on, as both harnesses record it. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
}

/** The 1, 5 and 15 minute load averages, to two decimals. */
export function loadAverage(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}

export function machineInfo(loadAverageBefore: number[], loadAverageAfter: number[]): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    loadAverageBefore,
    loadAverageAfter,
  };
}
