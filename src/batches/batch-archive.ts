import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { csvLine } from '../common/csv-cell';
import { referenceOf } from '../matters/matters.service';
import type { PacketManifest } from '../packets/packet-builder';
import type { PacketsRepository } from '../packets/packets.repository';
import { allFiles } from '../packets/packets.service';
import type { ArtifactStore } from '../storage/artifact-store';
import type { BatchRowEntity } from './batch.entity';
import type { BatchesRepository } from './batches.repository';

/** Rows read per query while the archive streams. */
const PAGE = 200;

export const SUMMARY_FILE = 'summary.csv';
export const SUMMARY_COLUMNS = ['row', 'reference', 'status', 'error'] as const;

/** A line of the summary for a row that never became a case (a skipped row of the file). */
export interface ExtraSummaryLine {
  row: number | null;
  status: string;
  error: string;
}

/** `row-0002-M-1A2B3C4D`: the spreadsheet's row and the case's neutral reference, never a name. */
export function rowFolder(row: Pick<BatchRowEntity, 'rowNumber' | 'caseId'>): string {
  return `row-${String(row.rowNumber).padStart(4, '0')}-${referenceOf(row.caseId)}`;
}

/**
 * The batch as one ZIP, streamed: a folder per row with that row's packet files, and
 * `summary.csv` (row, reference, status, error; cells made spreadsheet-safe by `csvLine`).
 * Rows are read a page at a time and each file is decrypted only when the ZIP reaches it, so
 * memory stays at one file whatever the batch's size.
 */
export function batchArchive(
  deps: { rows: BatchesRepository; packets: PacketsRepository; artifacts: ArtifactStore },
  batchId: string,
  extra: ExtraSummaryLine[] = [],
): Readable {
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  const fail = (e: unknown) => output.destroy(e instanceof Error ? e : new Error(String(e)));
  zip.on('error', fail);
  const summary: string[] = [csvLine([...SUMMARY_COLUMNS])];
  const fill = async () => {
    let after = 0;
    for (;;) {
      const page = await deps.rows.rowsAfter(batchId, after, PAGE);
      for (const row of page) {
        summary.push(
          csvLine([String(row.rowNumber), referenceOf(row.caseId), row.status, row.error ?? '']),
        );
        if (row.status === 'done' && row.packetId) await addPacket(row, row.packetId);
      }
      const last = page[page.length - 1];
      if (!last || page.length < PAGE) break;
      after = last.rowNumber;
    }
    for (const line of extra) {
      summary.push(
        csvLine([line.row === null ? '' : String(line.row), '', line.status, line.error]),
      );
    }
    zip.addBuffer(Buffer.from(summary.join(''), 'utf8'), SUMMARY_FILE);
    zip.end();
  };
  const addPacket = async (row: BatchRowEntity, packetId: string) => {
    const packet = await deps.packets.findForCase(row.caseId, packetId);
    if (!packet) return;
    const folder = rowFolder(row);
    for (const file of allFiles(JSON.parse(packet.manifest) as PacketManifest)) {
      zip.addReadStreamLazy(`${folder}/${file.name}`, (done) => {
        deps.artifacts.get(row.caseId, packetId, file.name).then(
          (bytes) => done(null, Readable.from([bytes])),
          (e: unknown) => done(e, Readable.from([])),
        );
      });
    }
  };
  fill().catch(fail);
  return output;
}
