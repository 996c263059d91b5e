import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { existsSync, readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { loadConfig } from '../../config/app-config';
import { JsonLogger } from '../../logging/json-logger';
import { openBatchRuntime } from '../runtime';

/**
 * A batch worker: takes rows off the Redis queue and builds their packets, against the same
 * database and files as the service. Run as many as the machines allow (`npm run worker`).
 * SIGTERM or SIGINT: takes no new row, lets the running ones finish, exits 0.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.REDIS_URL) {
    console.error(
      'The batch worker takes its work from Redis: set REDIS_URL (for example ' +
        'redis://127.0.0.1:6379), the same as the service. Without REDIS_URL the service ' +
        'builds batches itself and needs no worker.',
    );
    return 1;
  }
  Logger.overrideLogger(new JsonLogger(config.LOG_LEVEL));
  const logger = new Logger('BatchWorker');
  const stop = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  lowerPriority(config.WORKER_NICE, logger);
  const runtime = await openBatchRuntime(config, 'worker');
  runtime.sweeper.start();
  logger.log({ msg: 'batch worker started', concurrency: config.WORKER_CONCURRENCY });
  const signal = await stop;
  logger.log({ msg: 'batch worker stopping: running rows finish first', signal });
  await runtime.close();
  logger.log('batch worker stopped');
  return 0;
}

/**
 * Before anything is started, so LibreOffice inherits the same priority. Linux keeps a priority
 * per thread, and V8's and libuv's threads already run, so each thread of the process is lowered
 * (a thread started later inherits it). A refusal (a container without the right) is logged and
 * the worker runs at its given priority rather than not at all.
 */
function lowerPriority(nice: number, logger: Logger): void {
  try {
    const threads = existsSync('/proc/self/task') ? readdirSync('/proc/self/task') : ['0'];
    for (const tid of threads) setPriority(Number(tid), nice);
  } catch (e) {
    logger.warn({
      msg: 'batch worker could not lower its priority',
      nice,
      error: e instanceof Error ? e.message : String(e),
    });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(
      `The batch worker could not start: ${e instanceof Error ? e.message : String(e)}`,
    );
    process.exit(1);
  },
);
