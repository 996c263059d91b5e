import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../config/project-root';
import { PackLoadError, loadPack, loadPacks } from './pack-loader';

describe(loadPack.name, () => {
  let dir: string;
  const pack = () => join(dir, 'generic-us');
  const editManifest = (edit: (m: Record<string, unknown>) => void) => {
    const path = join(pack(), 'manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    edit(m);
    writeFileSync(path, JSON.stringify(m));
  };
  const documents = (m: Record<string, unknown>) => m.documents as Record<string, unknown>[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'po-packs-'));
    cpSync(join(projectRoot(), 'templates', 'generic-us'), pack(), { recursive: true });
    cpSync(join(projectRoot(), 'templates', 'common'), join(dir, 'common'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function loadError(): PackLoadError {
    try {
      loadPack(pack(), join(dir, 'forms'));
    } catch (e) {
      if (e instanceof PackLoadError) return e;
      throw e;
    }
    throw new Error('expected the pack to be refused');
  }

  it('loads the bundled pack with every template read and checksummed', () => {
    const sut = loadPack(pack(), join(dir, 'forms'));
    expect(sut.documents.map((d) => [d.def.id, d.sha256?.length])).toEqual([
      ['petition', 64],
      ['declaration', 64],
      ['confidential-information', 64],
      ['service-information', 64],
      ['next-steps', 64],
    ]);
  });

  it('names the pack, the document and the problem for a bad manifest', () => {
    editManifest((m) => {
      documents(m)[1].kind = 'odt';
      documents(m)[2].audiences = ['neighbours'];
    });
    const e = loadError();
    expect(e.message).toContain(pack());
    expect(e.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'documents.declaration.kind' }),
        expect.objectContaining({
          field: 'documents.confidential-information.audiences',
          message: expect.stringContaining('neighbours'),
        }),
      ]),
    );
  });

  it('refuses a path that leaves the pack before touching the file system', () => {
    editManifest((m) => void (documents(m)[1].file = '../../etc/passwd'));
    expect(loadError().details).toEqual([
      {
        field: 'documents.declaration.file',
        message: 'file must be a relative path inside the pack',
      },
    ]);
  });

  it('refuses a template file that is missing', () => {
    editManifest((m) => void (documents(m)[0].file = 'missing.docx'));
    expect(loadError().details).toEqual([
      { field: 'documents.petition.file', message: 'file not found: missing.docx' },
    ]);
  });

  it('refuses a mapping rule that says neither what to fill nor why it is blank', () => {
    const path = join(dir, 'common', 'mappings', 'service-information.json');
    const mapping = JSON.parse(readFileSync(path, 'utf8')) as { fields: Record<string, unknown> };
    const first = Object.keys(mapping.fields)[0];
    mapping.fields[first] = { ignore: '' };
    writeFileSync(path, JSON.stringify(mapping));
    expect(loadError().details[0].field).toContain(`fields.${first}.ignore`);
  });

  it('keeps loading the other packs when one lacks its official forms', () => {
    const packs = loadPacks(join(projectRoot(), 'templates'), join(dir, 'forms'));
    const ca = packs.find((p) => p.manifest.id === 'ca-dv');
    expect(ca?.missingForms.map((f) => f.formNumber)).toEqual(['DV-100', 'DV-109', 'CLETS-001']);
    expect(packs.find((p) => p.manifest.id === 'generic-us')?.missingForms).toEqual([]);
  });
});
