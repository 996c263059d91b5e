import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { projectRoot } from '../../src/config/project-root';
import { fixture } from '../support/fixtures';

describe('command line', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const env = () => ({ DATA_DIR: join(dir, 'data') });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'po-cli-'));
    out = [];
    err = [];
    jest.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    jest.spyOn(console, 'warn').mockImplementation((m: string) => void out.push(m));
    jest.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
  });

  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  const factsFile = join(projectRoot(), 'test', 'fixtures', 'cases', 'typical.json');

  it('generate writes a packet folder without a server', async () => {
    const target = join(dir, 'packet');
    expect(
      await runCli(['generate', factsFile, '--pack', 'generic-us', '--out', target], env()),
    ).toBe(0);
    const files = readdirSync(target);
    expect(files).toEqual(
      expect.arrayContaining(['01-petition.docx', '02-declaration.docx', 'manifest.json']),
    );
    const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8'));
    expect(manifest.pack.id).toBe('generic-us');
  }, 120_000);

  it('generate accepts { packId, facts } and names every failing field', async () => {
    const facts = fixture('minimal');
    delete (facts.petitioner as Record<string, unknown>).gender;
    const file = join(dir, 'case.json');
    writeFileSync(file, JSON.stringify({ packId: 'generic-us', facts }));
    expect(await runCli(['generate', file, '--out', join(dir, 'o')], env())).toBe(1);
    expect(err.join('\n')).toContain('petitioner.gender');
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });

  it('generate for a pack whose official forms are missing says which and how to install', async () => {
    const code = await runCli(
      ['generate', factsFile, '--pack', 'mi-ppo', '--out', join(dir, 'o')],
      env(),
    );
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/CC 375/);
    expect(err.join('\n')).toContain('install-forms --from');
  });

  it('lint reports the bundled pack clean', async () => {
    expect(await runCli(['lint', '--pack', 'generic-us'], env())).toBe(0);
    expect(out).toContain('generic-us: clean');
  });

  it('lint names an interview question that writes a fact the model does not have', async () => {
    const packs = join(dir, 'templates');
    cpSync(join(projectRoot(), 'templates'), packs, { recursive: true });
    const file = join(packs, 'common', 'interview', 'signature.json');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('"path": "signature.city"', '"path": "signature.town"'),
    );
    expect(await runCli(['lint', '--pack', 'generic-us'], { ...env(), PACKS_DIR: packs })).toBe(1);
    expect(out.join('\n')).toMatch(/error: generic-us\/interview .*signature\.town/);
  });

  it('migrate creates the embedded database', async () => {
    expect(await runCli(['migrate'], env())).toBe(0);
    expect(existsSync(join(dir, 'data', 'cases.sqlite'))).toBe(true);
    expect(await runCli(['migrate'], env())).toBe(0);
    expect(out.join('\n')).toContain('up to date');
  });

  it('answers an unknown command with the usage', async () => {
    expect(await runCli(['frobnicate'], env())).toBe(2);
    expect(err.join('\n')).toContain('Usage: npm run cli -- <command>');
  });
});
