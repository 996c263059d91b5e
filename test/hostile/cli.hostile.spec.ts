import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { fixture } from '../support/fixtures';
import { pdfFieldValues, pdfText } from '../support/pdf-reading';
import {
  expectNoLeak,
  factsWith,
  LITERAL_NAMES,
  REFUSED_CHARACTERS,
  refusedMessage,
  UNPRINTABLE_NAMES,
  unprintableMessage,
} from './support/hostile';
import { docxProblems, docxVisibleText } from './support/strict-xml';

/**
 * `generate` with hostile facts files: exit 0 with every value printed literally, or exit 1
 * with the failing field named and nothing of the file's content or the machine shown; never an
 * exception out of the command.
 */
describe('cli generate with bad input', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const env = () => ({ DATA_DIR: join(dir, 'data'), SOFFICE_PATH: '/nonexistent/soffice' });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'po-cli-hostile-'));
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

  async function generate(content: string): Promise<number> {
    const file = join(dir, 'case.json');
    writeFileSync(file, content);
    return runCli(['generate', file, '--pack', 'generic-us', '--out', join(dir, 'o')], env());
  }

  function expectRefused(code: number, lines: string[]): void {
    expect(code).toBe(1);
    expect(err).toEqual(lines);
    expect(existsSync(join(dir, 'o'))).toBe(false);
    expectNoLeak(err.join('\n'));
  }

  it('prints hostile but valid text literally', async () => {
    const facts = factsWith('petitioner.name.full', LITERAL_NAMES['angular expression']);
    factsWith('respondent.name.full', LITERAL_NAMES['hebrew with RLM marks'], facts);
    factsWith('incidents.0.narrative', `${LITERAL_NAMES['XML and HTML']} {@raw} {#x}{/x}`, facts);
    expect(await generate(JSON.stringify({ packId: 'generic-us', facts }))).toBe(0);
    const petition = readFileSync(join(dir, 'o', '01-petition.docx'));
    expect(docxProblems(petition)).toEqual({});
    expect(docxVisibleText(petition)).toContain(LITERAL_NAMES['angular expression']);
    const declaration = readFileSync(join(dir, 'o', '02-declaration.docx'));
    expect(docxVisibleText(declaration)).toContain(
      `${LITERAL_NAMES['XML and HTML']} {@raw} {#x}{/x}`,
    );
    const service = readFileSync(join(dir, 'o', '04-service-information.pdf'));
    expect((await pdfFieldValues(service)).respondentName).toBe(
      LITERAL_NAMES['hebrew with RLM marks'],
    );
  }, 60_000);

  it.each(Object.entries(REFUSED_CHARACTERS))(
    'refuses %s, naming the field',
    async (_l, refused) => {
      // JSON.stringify writes a lone surrogate as the escape "\ud800", as a hand-made file would.
      const code = await generate(JSON.stringify(factsWith('petitioner.name.full', refused.text)));
      expectRefused(code, [
        'validation_failed: Invalid value for: petitioner.name.full',
        `  petitioner.name.full: ${refusedMessage('petitioner.name.full', refused)}`,
      ]);
    },
  );

  it('refuses "__proto__" and "constructor" keys, naming them', async () => {
    const json = JSON.stringify(fixture('minimal')).replace(
      '"petitioner":{',
      '"petitioner":{"__proto__":{"polluted":true},"constructor":{"x":1},',
    );
    expectRefused(await generate(json), [
      'validation_failed: Invalid value for: petitioner.__proto__, petitioner.constructor',
      '  petitioner.__proto__: petitioner.__proto__ is not an allowed field name',
      '  petitioner.constructor: petitioner.constructor is not an allowed field name',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses 10,000 levels of nesting at the depth limit', async () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const json = JSON.stringify(fixture('minimal')).replace(
      '"gender":"female"',
      `"gender":${deep}`,
    );
    const code = await generate(json);
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^validation_failed: Invalid value for: petitioner\.gender(\.a)+$/);
    expect(err[1]).toMatch(/^ {2}petitioner\.gender(\.a)+: nesting deeper than 32 levels$/);
  });

  it.each([
    ['null', 'null'],
    ['a list', '[]'],
    ['a number', '42'],
    ['a string', '"facts"'],
  ])('refuses a file holding %s, naming "facts"', async (_l, content) => {
    expectRefused(await generate(content), [
      'validation_failed: Invalid value for: facts',
      '  facts: must be an object',
    ]);
  });

  it('refuses a file that is not JSON without showing its content', async () => {
    expectRefused(await generate('{"petitioner": {"name": "Zephyrine'), [
      'The file is not valid JSON (its content is not shown)',
    ]);
    expect(err.join('\n')).not.toContain('Zephyrine');
  });

  it('refuses orgId and role in the file, naming them', async () => {
    expectRefused(
      await generate(JSON.stringify({ ...fixture('minimal'), orgId: 'x', role: 'admin' })),
      [
        'validation_failed: Invalid value for: orgId, role',
        '  orgId: orgId is not a known field',
        '  role: role is not a known field',
      ],
    );
  });

  it.each(Object.entries(UNPRINTABLE_NAMES))(
    'refuses %s in a name before generating, naming the field, and writes nothing',
    async (_l, unprintable) => {
      const code = await generate(
        JSON.stringify(factsWith('respondent.name.full', unprintable.name)),
      );
      expectRefused(code, [
        'validation_failed: Invalid value for: respondent.name.full',
        `  respondent.name.full: ${unprintableMessage('respondent.name.full', unprintable)}`,
      ]);
    },
  );

  it('prints Korean, Thai and emoji names literally', async () => {
    const facts = factsWith('petitioner.name.full', LITERAL_NAMES.korean);
    factsWith(
      'respondent.name.full',
      `${LITERAL_NAMES.thai} ${LITERAL_NAMES['emoji flag']}`,
      facts,
    );
    expect(await generate(JSON.stringify(facts))).toBe(0);
    const form = readFileSync(join(dir, 'o', '03-confidential-information.pdf'));
    expect(await pdfFieldValues(form)).toMatchObject({ petitionerName: LITERAL_NAMES.korean });
    const service = readFileSync(join(dir, 'o', '04-service-information.pdf'));
    expect(await pdfText(service)).toContain(
      `${LITERAL_NAMES.thai} ${LITERAL_NAMES['emoji flag']}`,
    );
  });
});
