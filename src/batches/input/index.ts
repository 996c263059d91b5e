export type {
  BatchFormat,
  BatchLimits,
  BatchParseResult,
  BatchProblem,
  BatchRow,
} from './batch-types';
export { batchLimitsFrom } from './batch-types';
export {
  BATCH_COLUMNS,
  BATCH_COLUMN_NAMES,
  NUMBERED_ITEMS,
  factsToCells,
  type BatchColumn,
  type ColumnKind,
} from './batch-columns';
export { parseBatch } from './parse-batch';
export { BATCH_EXAMPLE_FILE, exampleFacts, templateCsv } from './batch-template';
