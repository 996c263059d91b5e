import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/main';

/** The CLI's error output may end up in an operator's logs: it never quotes a case file. */
describe('command line error output', () => {
  let dir: string;
  let printed: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'po-cli-log-'));
    printed = [];
    const keep = (m: unknown): void => void printed.push(String(m));
    jest.spyOn(console, 'log').mockImplementation(keep);
    jest.spyOn(console, 'warn').mockImplementation(keep);
    jest.spyOn(console, 'error').mockImplementation(keep);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says a malformed case file is not JSON without quoting it', async () => {
    const file = join(dir, 'case.json');
    writeFileSync(
      file,
      '{"petitioner": {"name": Zelda Sentinelname, "street": "4242 Sentinel Lane"}}',
    );
    const code = await runCli(['generate', file, '--out', join(dir, 'out')], {
      DATA_DIR: join(dir, 'data'),
    });
    expect(code).toBe(1);
    expect(printed.join('\n')).toContain('not valid JSON');
    expect(printed.join('\n')).not.toMatch(/zelda|sentinel|4242/i);
  });
});
