import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A service or worker process the harness started, and the tail of what it printed. */
export interface Started {
  name: string;
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  /** Recent output only: a worker logs every row, and 5,000 rows must not grow the harness. */
  tail: string[];
  exitCode: number | null | undefined;
}

const TAIL_CHUNKS = 60;

export function startNode(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  nodeArgs: string[] = [],
): Started {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const tail: string[] = [];
  const keep = (c: Buffer) => {
    tail.push(c.toString('utf8'));
    if (tail.length > TAIL_CHUNKS) tail.splice(0, tail.length - TAIL_CHUNKS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const started: Started = {
    name,
    child,
    pid: child.pid,
    tail,
    exitCode: undefined,
    exited: new Promise((resolve) =>
      child.once('exit', (code) => {
        started.exitCode = code;
        resolve(code);
      }),
    ),
  };
  return started;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  procs: Started[] = [],
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    const dead = procs.find((p) => p.exitCode !== undefined);
    if (dead) {
      throw new Error(
        `${dead.name} exited (${String(dead.exitCode)}) while waiting for ${what}:\n${dead.tail.join('')}`,
      );
    }
    await pause(100);
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** SIGTERM lets a worker finish its running row; SIGKILL only if it does not go in time. */
export async function stopProcess(p: Started, graceMs = 120_000): Promise<number | null> {
  if (p.exitCode !== undefined) return p.exitCode;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  const code = await p.exited;
  clearTimeout(timer);
  return code;
}

/** Resident memory in KiB from /proc, or undefined once the process has gone. */
export function rssKb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Every process below pid (LibreOffice and its Python bridge, for a worker). */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const c of children.split(/\s+/).filter(Boolean)) {
        out.push(Number(c));
        visit(Number(c));
      }
    }
  };
  visit(pid);
  return out;
}

export function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function runNode(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [script, ...args], {
      cwd,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${args[0] ?? script} failed: ${err.stderr || err.stdout || err.message}`);
  }
}

export async function runTool(cmd: string, args: string[]): Promise<string> {
  const { stdout } = await run(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Clock ticks per second of /proc's CPU counters (`getconf CLK_TCK`; 100 on Linux). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds a process has used, its reaped children's included (user + system, fields 14-17
 * of /proc/<pid>/stat), or 0 once it has gone.
 */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces, start at field 3.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i] ?? 0), 0);
    return ticks / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The machine's CPU time so far, busy and in all, in seconds summed over its CPUs (/proc/stat). */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait) / TICKS_PER_SECOND };
}
