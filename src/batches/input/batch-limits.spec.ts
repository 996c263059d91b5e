import { loadConfig } from '../../config/app-config';
import { batchLimitsFrom } from './batch-types';

describe('batch limits', () => {
  it('default to 20 MB files, 2000 cases and 64 KiB cells', () => {
    expect(batchLimitsFrom(loadConfig({}))).toEqual({
      maxBytes: 20 * 1024 * 1024,
      maxRows: 2000,
      maxCellBytes: 65536,
    });
  });

  it('are read from the environment and refused by name when out of range', () => {
    const limits = batchLimitsFrom(
      loadConfig({
        BATCH_MAX_BYTES: '1048576',
        BATCH_MAX_ROWS: '50',
        BATCH_MAX_CELL_BYTES: '70000',
      }),
    );
    expect(limits).toEqual({ maxBytes: 1048576, maxRows: 50, maxCellBytes: 70000 });
    expect(() => loadConfig({ BATCH_MAX_ROWS: '0' })).toThrow(/BATCH_MAX_ROWS/);
    expect(() => loadConfig({ BATCH_MAX_BYTES: 'lots' })).toThrow(/BATCH_MAX_BYTES/);
  });

  it('never let a cell be too small for the longest narrative CaseFacts accepts', () => {
    expect(() => loadConfig({ BATCH_MAX_CELL_BYTES: '59999' })).toThrow(/BATCH_MAX_CELL_BYTES/);
    expect(loadConfig({ BATCH_MAX_CELL_BYTES: '60000' }).BATCH_MAX_CELL_BYTES).toBe(60000);
  });
});
