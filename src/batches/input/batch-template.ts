import { readFileSync } from 'node:fs';
import { csvLine, spreadsheetSafe } from '../../common/csv-cell';
import { isObject } from '../../common/validation/data-files';
import { LoadedPack, packFilePath } from '../../packs/pack-loader';
import { BATCH_COLUMN_NAMES, factsToCells } from './batch-columns';

/** The fictional case every template's example row is made from, beside the packs. */
export const BATCH_EXAMPLE_FILE = 'common/batch-example.json';

const STATE_CODE = /^[A-Z]{2}$/;

/**
 * The example case for a pack: the shared fictional case, filed in the pack's state when the
 * pack is a state's (a generic pack's jurisdiction, "US", is not a state).
 */
export function exampleFacts(pack: LoadedPack): Record<string, unknown> {
  const facts = JSON.parse(
    readFileSync(packFilePath(pack.dir, BATCH_EXAMPLE_FILE), 'utf8'),
  ) as unknown;
  if (!isObject(facts)) throw new Error(`${BATCH_EXAMPLE_FILE} must hold one JSON object`);
  const { state } = pack.manifest.jurisdiction;
  if (STATE_CODE.test(state) && state !== 'US') {
    for (const key of ['court', 'signature']) {
      const part = facts[key];
      if (isObject(part)) part.state = state;
    }
  }
  return facts;
}

/**
 * A CSV a paralegal starts from: the header with every column, then one example case. It begins
 * with a UTF-8 byte-order mark, which is what makes Excel open (and save again) the file as
 * UTF-8 rather than in the computer's legacy code page; `parseBatch` reads it either way.
 * Cells are made spreadsheet-safe, and the example is chosen so that none needs it, so the
 * template reads back as exactly the example case.
 */
export function templateCsv(pack: LoadedPack): string {
  const cells = factsToCells(exampleFacts(pack));
  const row = BATCH_COLUMN_NAMES.map((name) => cells.get(name) ?? '');
  return `\uFEFF${csvLine(BATCH_COLUMN_NAMES.map(spreadsheetSafe))}${csvLine(row.map(spreadsheetSafe))}`;
}
