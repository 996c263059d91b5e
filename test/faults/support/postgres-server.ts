import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The machine's own PostgreSQL cluster, stopped and started the way its operator would
 * (`pg_ctlcluster`). Other suites on this machine use the same server: whoever stops it must
 * call `ensurePostgresRunning` whatever happens.
 */
const CONF_DIR = '/etc/postgresql';
const HOST = '127.0.0.1';

/** Why this machine cannot run the restart test, or undefined when it can. */
export function postgresControlMissing(): string | undefined {
  if (!existsSync(CONF_DIR) || readdirSync(CONF_DIR).length === 0) {
    return `no local cluster under ${CONF_DIR}`;
  }
  const url = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  if (!['127.0.0.1', 'localhost'].includes(url.hostname)) {
    return `TEST_POSTGRES_URL points at ${url.hostname}, not this machine's cluster`;
  }
  return undefined;
}

function cluster(): string[] {
  const version = readdirSync(CONF_DIR).sort().at(-1) ?? '';
  return ['--skip-systemctl-redirect', version, 'main'];
}

/** True when the server accepts connections now. */
export async function postgresAccepting(): Promise<boolean> {
  try {
    await run('pg_isready', ['-h', HOST, '-t', '2']);
    return true;
  } catch {
    return false;
  }
}

/** A fast shutdown: sessions are terminated (57P01) and new connections refused. */
export async function stopPostgres(): Promise<void> {
  await run('pg_ctlcluster', [...cluster(), 'stop', '-m', 'fast']);
}

/**
 * Starts the cluster if it is not running and waits until it accepts connections, polling
 * pg_isready (up to `timeoutMs`). Safe to call when it is running already.
 */
export async function ensurePostgresRunning(timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await postgresAccepting())) {
    if (Date.now() > deadline) throw new Error('PostgreSQL did not accept connections in time');
    // Not accepting may mean starting up or still shutting down: start it only once stopped.
    const stopped = await run('pg_ctlcluster', [...cluster(), 'status']).then(
      () => false,
      () => true,
    );
    // A start that races another one fails harmlessly; the next round looks again.
    if (stopped) await run('pg_ctlcluster', [...cluster(), 'start']).catch(() => undefined);
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
