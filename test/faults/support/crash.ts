import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { AppConfig } from '../../../src/config/app-config';

export type CrashPoint = 'mid-write' | 'after-files' | 'case-deleted';

const CHILD_DIR = join(__dirname, 'child');

/**
 * Runs the service's write path in a separate process up to `point`, then kills it with SIGKILL
 * (no handler, no cleanup, as the kernel's OOM killer or a power cut would). Resolves with the
 * child's detail once it is dead.
 */
export async function crashAt(
  point: CrashPoint,
  config: AppConfig,
  caseId: string,
  packetId?: string,
): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(CHILD_DIR, 'register-ts.js'),
      join(CHILD_DIR, 'crash-writer.child.ts'),
      point,
      caseId,
      ...(packetId ? [packetId] : []),
    ],
    {
      env: {
        ...process.env,
        DATA_DIR: config.DATA_DIR,
        ...(config.DATABASE_URL ? { DATABASE_URL: config.DATABASE_URL } : {}),
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const detail = await readyLine(child, 60_000);
    await kill(child);
    return detail;
  } finally {
    if (child.exitCode === null && child.signalCode === null) await kill(child);
  }
}

function readyLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`the child did not reach its crash point: ${err}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = /^READY (.*)$/m.exec(out);
      if (line) {
        clearTimeout(timer);
        resolve(line[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the child exited (${code}) before its crash point: ${err}`));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
