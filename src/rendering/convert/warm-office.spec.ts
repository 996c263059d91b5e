import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import PizZip from 'pizzip';
import { parseCaseFacts } from '../../case-facts/parse-case-facts';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { projectRoot } from '../../config/project-root';
import { buildCaseViewModel } from '../../view-models/case-view-model';
import { fixture } from '../../../test/support/fixtures';
import { pdfText } from '../../../test/support/pdf-reading';
import { renderDocx } from '../docx/docx-renderer';
import { DocxToPdfConverter } from './docx-to-pdf';
import { findPython, groupAlive, WarmOffice } from './warm-office';

const cold = new DocxToPdfConverter();
const soffice =
  (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'soffice'))
    .find((p) => existsSync(p)) ?? 'soffice';

/** The generic-us petition and declaration rendered for the maximal case, as the packet does. */
function packDocx(name: 'petition' | 'declaration'): Buffer {
  const model = buildCaseViewModel(parseCaseFacts(fixture('maximal')));
  const template = readFileSync(join(projectRoot(), 'templates', 'generic-us', `${name}.docx`));
  return renderDocx(template, model);
}

/** A ZIP that is not a Word document: passes the magic-number check, fails to load. */
function zipNotDocx(): Buffer {
  const zip = new PizZip();
  zip.file('hello.txt', 'not a document');
  return zip.generate({ type: 'nodebuffer' });
}

/** Processes of a process group, with their names; zombies only when asked. */
function groupMembers(pgid: number, zombies = false): { pid: number; name: string }[] {
  const members: { pid: number; name: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && (zombies || fields[0] !== 'Z')) {
      members.push({ pid: Number(entry), name });
    }
  }
  return members;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

describe('WarmOffice', () => {
  let warmPossible = false;
  let work: string;
  let petition: string;
  const offices: WarmOffice[] = [];

  /** A warm office closed after each test, whatever the test did. */
  const office = (options: Partial<ConstructorParameters<typeof WarmOffice>[0]> = {}) => {
    const o = new WarmOffice({ soffice, ...options });
    offices.push(o);
    return o;
  };

  beforeAll(async () => {
    warmPossible = cold.available() && (await findPython(soffice)) !== undefined;
    if (!warmPossible) console.warn('LibreOffice or python3-uno missing: warm office not tested');
    work = mkdtempSync(join(tmpdir(), 'warm-office-test-'));
    petition = join(work, 'petition.docx');
    writeFileSync(petition, packDocx('petition'));
  });

  afterEach(async () => {
    await Promise.all(offices.splice(0).map((o) => o.close()));
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('turns a pack DOCX into a PDF that reads back', async () => {
    if (!warmPossible) return;
    const o = office();
    const out = join(work, 'petition.pdf');
    await o.convert(petition, out);
    const text = await pdfText(readFileSync(out));
    expect(text).toContain('Nguyễn Thị Hằng');
    expect(text).toContain('李小龍');
  }, 120_000);

  it('converts five documents in a row with the same office process', async () => {
    if (!warmPossible) return;
    const o = office();
    const pids = [];
    for (let i = 0; i < 5; i++) {
      await o.convert(petition, join(work, `row-${i}.pdf`));
      pids.push(o.processIds());
    }
    expect(pids[0]).toBeDefined();
    for (const p of pids) expect(p).toEqual(pids[0]);
    expect(o.starts()).toBe(1);
    for (let i = 0; i < 5; i++) {
      expect(await pdfText(readFileSync(join(work, `row-${i}.pdf`)))).toContain('Nguyễn Thị Hằng');
    }
  }, 120_000);

  it('restarts after a killed office, whether or not the exit was noticed yet', async () => {
    if (!warmPossible) return;
    const o = office();
    await o.convert(petition, join(work, 'before.pdf'));
    for (const round of [1, 2]) {
      const before = o.processIds();
      if (!before) throw new Error('no office running');
      const sofficeBin = groupMembers(before.office).filter((m) => m.name === 'soffice.bin');
      expect(sofficeBin).toHaveLength(1);
      process.kill(sofficeBin[0].pid, 'SIGKILL');
      // Round 1 converts at once (the request meets a dead office); round 2 lets the exit land.
      if (round === 2) while (o.processIds()) await new Promise((r) => setTimeout(r, 20));
      const out = join(work, `after-${round}.pdf`);
      await o.convert(petition, out);
      expect(await pdfText(readFileSync(out))).toContain('Nguyễn Thị Hằng');
      expect(o.processIds()?.office).not.toBe(before.office);
      expect(groupAlive(before.office)).toBe(false);
      expect(processAlive(before.bridge)).toBe(false);
    }
    expect(o.starts()).toBe(3);
  }, 180_000);

  it('fails a ZIP that is not a Word document with RenderFailed and keeps the office', async () => {
    if (!warmPossible) return;
    const o = office();
    await o.convert(petition, join(work, 'first.pdf'));
    const pids = o.processIds();
    const zip = join(work, 'not-docx.docx');
    writeFileSync(zip, zipNotDocx());
    const error = await o.convert(zip, join(work, 'not-docx.pdf')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.RenderFailed);
    expect(o.processIds()).toEqual(pids);
    await o.convert(petition, join(work, 'next.pdf'));
    expect(o.starts()).toBe(1);
  }, 120_000);

  it('replaces the office after the configured number of documents', async () => {
    if (!warmPossible) return;
    const o = office({ restartAfter: 2 });
    for (let i = 0; i < 3; i++) await o.convert(petition, join(work, `n-${i}.pdf`));
    expect(o.starts()).toBe(2);
  }, 120_000);

  it('fails a document that takes too long with RenderFailed and stops both processes', async () => {
    if (!warmPossible) return;
    const o = office({ documentTimeoutMs: 1 });
    const error = await o.convert(petition, join(work, 'slow.pdf')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.RenderFailed);
    expect((error as AppError).message).toMatch(/did not convert the document within/);
    expect(o.processIds()).toBeUndefined();
    expect(o.starts()).toBe(1);
  }, 120_000);

  it('close() leaves no office or bridge process and no profile behind', async () => {
    if (!warmPossible) return;
    const privateTmp = mkdtempSync(join(tmpdir(), 'warm-office-close-'));
    try {
      const o = office({ tmpDir: privateTmp });
      await o.convert(petition, join(work, 'close.pdf'));
      const pids = o.processIds();
      if (!pids) throw new Error('no office running');
      expect(groupMembers(pids.office).map((m) => m.name)).toContain('soffice.bin');
      await o.close();
      expect(o.processIds()).toBeUndefined();
      expect(groupMembers(pids.office)).toEqual([]);
      // Not even a zombie: soffice.bin was reaped by its wrapper, not left for PID 1. (Helpers
      // it ran, such as gpgconf, may be.)
      const names = groupMembers(pids.office, true).map((m) => m.name);
      expect(names).not.toContain('soffice.bin');
      expect(names).not.toContain('oosplash');
      expect(processAlive(pids.bridge)).toBe(false);
      expect(readdirSync(privateTmp)).toEqual([]);
      const error = await o.convert(petition, join(work, 'late.pdf')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
    } finally {
      rmSync(privateTmp, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('DocxToPdfConverter in warm mode', () => {
  let warmPossible = false;

  beforeAll(async () => {
    warmPossible = cold.available() && (await findPython(soffice)) !== undefined;
  });

  it('converts a packet batch through one warm office, in order, and leaves no files', async () => {
    if (!warmPossible) return;
    const privateTmp = mkdtempSync(join(tmpdir(), 'warm-convert-test-'));
    const converter = new DocxToPdfConverter(undefined, process.env, {
      mode: 'warm',
      tmpDir: privateTmp,
    });
    try {
      expect(converter.message()).toMatch(/warm converter$/);
      const pdfs = await converter.convert([
        { name: 'Nguyễn petition.docx', bytes: packDocx('petition') },
        { name: '../declaration.docx', bytes: packDocx('declaration') },
      ]);
      expect(pdfs).toHaveLength(2);
      expect(await pdfText(pdfs[0])).toMatch(/PETITION/i);
      expect(await pdfText(pdfs[1])).toMatch(/DECLARATION/i);
      expect(await pdfText(pdfs[1])).toContain('Nguyễn Thị Hằng');
      const pids = converter.warmOffice()?.processIds();
      expect(pids).toBeDefined();
      await converter.convert([{ name: 'again.docx', bytes: packDocx('petition') }]);
      expect(converter.warmOffice()?.processIds()).toEqual(pids);
      // While running, only the office's own folder (its profile) is left in the temp folder.
      expect(readdirSync(privateTmp)).toEqual([expect.stringMatching(/^warm-office-/)]);
      await converter.close();
      expect(readdirSync(privateTmp)).toEqual([]);
      if (pids) expect(groupAlive(pids.office)).toBe(false);
    } finally {
      await converter.close();
      rmSync(privateTmp, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses a file that is not a DOCX with RenderFailed, before any office starts', async () => {
    if (!cold.available()) return;
    const converter = new DocxToPdfConverter(undefined, process.env, { mode: 'warm' });
    try {
      const error = await converter
        .convert([{ name: 'junk.docx', bytes: Buffer.from('not a document') }])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(ErrorCode.RenderFailed);
      expect(converter.warmOffice()?.starts()).toBe(0);
    } finally {
      await converter.close();
    }
  });

  it('names the document that fails in the warm office', async () => {
    if (!warmPossible) return;
    const converter = new DocxToPdfConverter(undefined, process.env, { mode: 'warm' });
    try {
      const error = await converter
        .convert([
          { name: 'petition.docx', bytes: packDocx('petition') },
          { name: 'broken.docx', bytes: zipNotDocx() },
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(ErrorCode.RenderFailed);
      expect((error as AppError).details).toEqual([
        { field: 'broken.docx', message: 'was not converted to PDF' },
      ]);
    } finally {
      await converter.close();
    }
  }, 120_000);

  it('converts cold when no Python with uno can be found, and says so', async () => {
    if (!cold.available()) return;
    const converter = new DocxToPdfConverter(undefined, process.env, {
      mode: 'warm',
      warm: { python: '/nonexistent/python3' },
    });
    try {
      const [pdf] = await converter.convert([{ name: 'p.docx', bytes: packDocx('petition') }]);
      expect(await pdfText(pdf)).toContain('Nguyễn Thị Hằng');
      expect(converter.message()).toMatch(/warm converter unavailable \(no Python 3 with the uno/);
      expect(converter.warmOffice()).toBeUndefined();
    } finally {
      await converter.close();
    }
  }, 120_000);

  it('converts cold after close()', async () => {
    if (!cold.available()) return;
    const converter = new DocxToPdfConverter(undefined, process.env, { mode: 'warm' });
    await converter.close();
    const [pdf] = await converter.convert([{ name: 'p.docx', bytes: packDocx('petition') }]);
    expect(await pdfText(pdf)).toContain('Nguyễn Thị Hằng');
    expect(converter.warmOffice()).toBeUndefined();
  }, 120_000);
});
