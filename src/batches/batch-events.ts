import type { Request, Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchProgress } from './batch.dto';

/** Counts are read this often, so events come at most twice a second. */
const POLL_MS = 500;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Server-sent events of a batch's progress: a `progress` event whenever the counts or status
 * change, then one `done` event when no row is queued or running, and the stream ends. The
 * counts are read from the database, so every replica of the service and every worker agree.
 */
export async function streamProgress(
  _req: Request,
  res: Response,
  read: () => Promise<BatchProgress | null>,
): Promise<void> {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  let open = true;
  res.on('close', () => {
    open = false;
  });
  let last = '';
  let lastWrite = Date.now();
  try {
    while (open) {
      const progress = await read();
      if (!progress) break;
      const data = JSON.stringify(progress);
      if (data !== last) {
        res.write(`event: ${progress.finished ? 'done' : 'progress'}\ndata: ${data}\n\n`);
        last = data;
        lastWrite = Date.now();
      } else if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
        res.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      if (progress.finished) break;
      await sleep(POLL_MS);
    }
  } catch {
    // The database went away: the client sees the stream end and may reconnect.
  }
  res.end();
}
