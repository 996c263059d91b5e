import { Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { AppConfig } from '../config/app-config';
import { loadPacks, packNotReadyError } from '../packs/pack-loader';
import type { ExtraSummaryLine } from './batch-archive';
import { RowCounts, emptyCounts } from './batches.repository';
import { BatchFormat, BatchProblem, batchLimitsFrom, parseBatch } from './input';
import { openBatchRuntime } from './runtime';

const BAR_WIDTH = 30;
const POLL_MS = 250;

export interface BatchCliOutput {
  /** Progress and problems: standard error, so standard output stays free for the summary. */
  err: (text: string) => void;
  out: (line: string) => void;
  /** A terminal gets one bar redrawn in place; a log file a line now and then. */
  interactive: boolean;
}

const FORMATS: Readonly<Record<string, BatchFormat>> = {
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/**
 * `batch --pack <id> --file cases.csv --out packets.zip [--valid-only]`: a whole batch without a
 * server. The cases live only in a private, temporary database (with a key made for the run)
 * that is deleted at the end: what remains is the ZIP. Exit code 1 if any row failed, or if the
 * file has problems and --valid-only was not given (then nothing is made).
 */
export async function batchCommand(
  args: string[],
  config: AppConfig,
  io: BatchCliOutput = {
    err: (t) => void process.stderr.write(t),
    out: (l) => console.log(l),
    interactive: process.stderr.isTTY === true,
  },
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      pack: { type: 'string' },
      file: { type: 'string' },
      out: { type: 'string' },
      'valid-only': { type: 'boolean', default: false },
    },
  });
  if (!values.pack || !values.file || !values.out) {
    io.err('batch needs --pack <id>, --file <cases.csv|cases.jsonl> and --out <packets.zip>\n');
    return 2;
  }
  const format = FORMATS[extname(values.file).toLowerCase()];
  if (!format) {
    io.err('the file must be a .csv, or a .jsonl (one case as JSON per line)\n');
    return 2;
  }
  const pack = loadPacks(config.PACKS_DIR, config.formsDir).find(
    (p) => p.manifest.id === values.pack,
  );
  if (!pack) {
    io.err(`No pack "${values.pack}" in ${config.PACKS_DIR}\n`);
    return 1;
  }
  if (pack.missingForms.length > 0) throw packNotReadyError(pack);

  const parsed = parseBatch(readFileSync(values.file), format, batchLimitsFrom(config));
  for (const p of parsed.problems) io.err(`${problemLine(p)}\n`);
  if (parsed.rows.length === 0) {
    io.err('No row of the file can be used: nothing was made\n');
    return 1;
  }
  if (parsed.problems.length > 0 && !values['valid-only']) {
    io.err(
      `${parsed.problems.length} problem(s): nothing was made. Fix them, or add --valid-only ` +
        'to make the packets of the rows without problems\n',
    );
    return 1;
  }
  if (parsed.problems.length > 0) {
    io.err(`${skippedRows(parsed.problems).length} row(s) with problems skipped\n`);
  }

  // The bar is the output: the service's per-packet log lines would only break it up.
  Logger.overrideLogger(['error', 'warn']);
  const workspace = mkdtempSync(join(tmpdir(), 'po-batch-'));
  const out = resolve(values.out);
  const partial = `${out}.partial`;
  try {
    const runtime = await openBatchRuntime(privateConfig(config, workspace), 'service', {
      migrate: true,
    });
    try {
      const batch = await runtime.work.create(
        { organisationId: randomUUID(), userId: null },
        pack.manifest.id,
        parsed.rows,
      );
      runtime.sweeper.start();
      const bar = new ProgressBar(io, batch.totalRows);
      for (;;) {
        const counts = (await runtime.rows.counts([batch.id])).get(batch.id) ?? emptyCounts();
        bar.draw(counts);
        if ((await runtime.rows.findById(batch.id))?.finishedAt) break;
        await sleep(POLL_MS);
      }
      const counts = (await runtime.rows.counts([batch.id])).get(batch.id) ?? emptyCounts();
      bar.end(counts);
      await pipeline(
        runtime.work.archive(batch, skippedRows(parsed.problems)),
        createWriteStream(partial, { mode: 0o600 }),
      );
      renameSync(partial, out);
      io.out(
        `${counts.done} packet(s) written to ${out}` +
          (counts.failed > 0 ? `; ${counts.failed} row(s) failed (see summary.csv)` : ''),
      );
      return counts.failed > 0 ? 1 : 0;
    } finally {
      await runtime.close();
    }
  } finally {
    rmSync(partial, { force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
}

/**
 * The operator's packs, forms and LibreOffice, but a database, files and master key of the
 * run's own: no case outlives the command.
 */
function privateConfig(config: AppConfig, workspace: string): AppConfig {
  return Object.assign(new AppConfig(), config, {
    DATA_DIR: workspace,
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    FORMS_DIR: config.formsDir,
    MASTER_KEYS: `1:${randomBytes(32).toString('base64')}`,
    MASTER_KEY_VERSION: '1',
  });
}

function problemLine(p: BatchProblem): string {
  const where = [
    p.row === null ? 'file' : `row ${p.row}`,
    ...(p.column ? [`column ${p.column}`] : []),
  ];
  return `${where.join(', ')}: ${p.message}`;
}

/** One summary line per skipped row, its problems together (they name columns, never values). */
function skippedRows(problems: BatchProblem[]): ExtraSummaryLine[] {
  const byRow = new Map<number, string[]>();
  for (const p of problems) {
    if (p.row === null) continue;
    const list = byRow.get(p.row) ?? [];
    list.push(p.column ? `${p.column}: ${p.message}` : p.message);
    byRow.set(p.row, list);
  }
  return [...byRow].map(([row, messages]) => ({
    row,
    status: 'skipped',
    error: messages.join('; '),
  }));
}

/** `[#####     ] 120/200 done, 2 failed` on standard error. */
class ProgressBar {
  private last = '';
  private lastPrinted = 0;

  constructor(
    private readonly io: BatchCliOutput,
    private readonly total: number,
  ) {}

  draw(counts: RowCounts): void {
    const line = this.line(counts);
    if (line === this.last) return;
    this.last = line;
    if (this.io.interactive) {
      this.io.err(`\r${line}`);
    } else if (Date.now() - this.lastPrinted >= 2000) {
      this.io.err(`${line}\n`);
      this.lastPrinted = Date.now();
    }
  }

  end(counts: RowCounts): void {
    const line = this.line(counts);
    this.io.err(this.io.interactive ? `\r${line}\n` : `${line}\n`);
  }

  private line(counts: RowCounts): string {
    const finished = counts.done + counts.failed + counts.cancelled;
    const filled = this.total === 0 ? BAR_WIDTH : Math.round((finished / this.total) * BAR_WIDTH);
    const bar = `${'#'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}`;
    return `[${bar}] ${counts.done}/${this.total} done, ${counts.failed} failed`;
  }
}
