import { execFileSync } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COURT_FORMS_DIR } from '../../test/support/fixtures';
import { projectRoot } from '../config/project-root';
import { ErrorCode } from '../common/errors/error-code';
import type { PackManifest } from '../packs/pack-manifest';
import { checkManifest } from '../packs/pack-manifest.schema';
import {
  formsNotInstalledError,
  formsStatus,
  installForms,
  InstallReport,
  INSTALL_FORMS_COMMAND,
  missingFormsMessage,
} from './install-forms';
import { sha256 } from '../common/sha256';

const CA_FORMS = [
  {
    id: 'dv-100',
    number: 'DV-100',
    source: 'CA_DV-100_request-for-dv-restraining-order.pdf',
    fields: 335,
  },
  { id: 'dv-109', number: 'DV-109', source: 'CA_DV-109_notice-of-court-hearing.pdf', fields: 43 },
  {
    id: 'clets-001',
    number: 'CLETS-001',
    source: 'CA_CLETS-001_confidential-info-for-law-enforcement.pdf',
    fields: 53,
  },
];

function loadCaManifest(): PackManifest {
  const raw: unknown = JSON.parse(
    readFileSync(join(projectRoot(), 'templates', 'ca-dv', 'manifest.json'), 'utf8'),
  );
  const problems = checkManifest(raw);
  if (problems.length > 0) throw new Error(JSON.stringify(problems));
  return raw as PackManifest;
}

function onlyDocument(manifest: PackManifest, id: string): PackManifest {
  return { ...manifest, documents: manifest.documents.filter((d) => d.id === id) };
}

/** qpdf's JSON view of a file: a second, independent reader of what pdf-lib wrote. */
interface QpdfJson {
  encrypt: { encrypted: boolean };
  acroform: { fields: { fullname: string }[] };
  qpdf: [unknown, Record<string, { value?: unknown }>];
}

function readWithQpdf(path: string): QpdfJson {
  // --json prints warnings on stderr and exits 3 when it had any; a clean file has none.
  const out = execFileSync(
    'qpdf',
    ['--json', '--json-key=encrypt', '--json-key=acroform', '--json-key=qpdf', path],
    {
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return JSON.parse(out.toString('utf8')) as QpdfJson;
}

function dictOf(json: QpdfJson, key: string): Record<string, unknown> {
  const value = json.qpdf[1][key]?.value;
  if (typeof value !== 'object' || value === null) throw new Error(`${key} is not a dictionary`);
  return value as Record<string, unknown>;
}

function catalogAndAcroForm(json: QpdfJson): {
  catalog: Record<string, unknown>;
  acroForm: Record<string, unknown>;
} {
  const root = dictOf(json, 'trailer')['/Root'] as string;
  const catalog = dictOf(json, `obj:${root}`);
  const acro = catalog['/AcroForm'];
  const acroForm =
    typeof acro === 'string' ? dictOf(json, `obj:${acro}`) : (acro as Record<string, unknown>);
  return { catalog, acroForm };
}

function fieldList(source: string): string[] {
  return readFileSync(join(COURT_FORMS_DIR, 'fields', `${source}.txt`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t')[0]);
}

describe('installForms (California pack, from the shared court-forms folder)', () => {
  const manifest = loadCaManifest();
  let formsDir: string;
  let report: InstallReport;

  beforeAll(async () => {
    formsDir = mkdtempSync(join(tmpdir(), 'forms-install-'));
    report = await installForms({ source: COURT_FORMS_DIR, formsDir, manifests: [manifest] });
  });

  afterAll(() => rmSync(formsDir, { recursive: true, force: true }));

  it('installs all three forms, found by checksum whatever their file names', () => {
    expect(report.failed).toEqual([]);
    expect(report.installed.map((r) => [r.documentId, r.sourceName])).toEqual(
      CA_FORMS.map((f) => [f.id, f.source]),
    );
    expect(report.installed.every((r) => r.decryptedWith === 'pdf-lib')).toBe(true);
  });

  it.each(CA_FORMS)(
    '$number comes out unencrypted, without /XFA or /Perms, with every field',
    (form) => {
      const path = join(formsDir, 'ca-dv', `${form.id}.pdf`);
      const json = readWithQpdf(path);
      expect(json.encrypt.encrypted).toBe(false);
      const { catalog, acroForm } = catalogAndAcroForm(json);
      expect(catalog['/Perms']).toBeUndefined();
      expect(acroForm['/XFA']).toBeUndefined();
      expect(acroForm['/NeedAppearances']).toBe(false);
      const names = [...new Set(json.acroform.fields.map((f) => f.fullname))];
      expect(names).toHaveLength(form.fields);
      expect(new Set(names)).toEqual(new Set(fieldList(form.source)));
    },
  );

  it.each(CA_FORMS)('$number passes qpdf --check without warnings', (form) => {
    const path = join(formsDir, 'ca-dv', `${form.id}.pdf`);
    // Throws on exit status 2 (errors) or 3 (warnings).
    expect(() => execFileSync('qpdf', ['--check', path], { stdio: 'pipe' })).not.toThrow();
  });

  it.each(CA_FORMS)("$number shows the same page text as qpdf's own decryption", (form) => {
    const reference = join(formsDir, `${form.id}.qpdf.pdf`);
    execFileSync('qpdf', ['--decrypt', join(COURT_FORMS_DIR, form.source), reference]);
    const text = (path: string): string =>
      execFileSync('pdftotext', ['-layout', path, '-']).toString('utf8');
    expect(text(join(formsDir, 'ca-dv', `${form.id}.pdf`))).toBe(text(reference));
  });

  it('records the source and prepared checksums in installed.json', () => {
    const record = JSON.parse(readFileSync(join(formsDir, 'ca-dv', 'installed.json'), 'utf8')) as {
      packId: string;
      forms: Record<string, { sourceSha256: string; preparedSha256: string; file: string }>;
    };
    expect(record.packId).toBe('ca-dv');
    for (const doc of manifest.documents.filter((d) => d.form !== undefined)) {
      const entry = record.forms[doc.id];
      expect(entry.sourceSha256).toBe(doc.form?.sha256);
      expect(entry.preparedSha256).toBe(sha256(readFileSync(join(formsDir, 'ca-dv', doc.file))));
    }
  });

  it('reports the pack as installed, and a damaged prepared file as missing', () => {
    expect(formsStatus(manifest, formsDir)).toEqual({ installed: true, missing: [] });
    const copyDir = mkdtempSync(join(tmpdir(), 'forms-damaged-'));
    try {
      execFileSync('cp', ['-r', join(formsDir, 'ca-dv'), copyDir]);
      writeFileSync(join(copyDir, 'ca-dv', 'dv-109.pdf'), 'not a form');
      expect(formsStatus(manifest, copyDir).missing.map((m) => m.documentId)).toEqual(['dv-109']);
    } finally {
      rmSync(copyDir, { recursive: true, force: true });
    }
  });

  it('is idempotent: installing again leaves the same prepared files', async () => {
    const before = sha256(readFileSync(join(formsDir, 'ca-dv', 'dv-109.pdf')));
    const again = await installForms({
      source: COURT_FORMS_DIR,
      formsDir,
      manifests: [onlyDocument(manifest, 'dv-109')],
    });
    expect(again.failed).toEqual([]);
    expect(sha256(readFileSync(join(formsDir, 'ca-dv', 'dv-109.pdf')))).toBe(before);
    expect(formsStatus(manifest, formsDir).installed).toBe(true);
  });
});

describe('installForms refuses a file that is not the published form', () => {
  it('names the form, the file and both checksums, and installs nothing', async () => {
    const manifest = onlyDocument(loadCaManifest(), 'dv-109');
    const source = mkdtempSync(join(tmpdir(), 'forms-source-'));
    const formsDir = mkdtempSync(join(tmpdir(), 'forms-out-'));
    try {
      const bytes = readFileSync(join(COURT_FORMS_DIR, CA_FORMS[1].source));
      bytes[bytes.length >> 1] ^= 0xff;
      writeFileSync(join(source, 'dv109 (1).pdf'), bytes);
      const report = await installForms({ source, formsDir, manifests: [manifest] });
      expect(report.installed).toEqual([]);
      expect(report.failed).toHaveLength(1);
      const { message } = report.failed[0];
      expect(message).toContain('DV-109');
      expect(message).toContain('"dv109 (1).pdf"');
      expect(message).toContain(`expected SHA-256 ${manifest.documents[0].form?.sha256}`);
      expect(message).toContain(`got ${sha256(bytes)}`);
      expect(formsStatus(manifest, formsDir).installed).toBe(false);
    } finally {
      rmSync(source, { recursive: true, force: true });
      rmSync(formsDir, { recursive: true, force: true });
    }
  });

  it('says which form is absent from a folder that lacks it', async () => {
    const manifest = onlyDocument(loadCaManifest(), 'clets-001');
    const source = mkdtempSync(join(tmpdir(), 'forms-source-'));
    const formsDir = mkdtempSync(join(tmpdir(), 'forms-out-'));
    try {
      copyFileSync(join(COURT_FORMS_DIR, CA_FORMS[1].source), join(source, 'unrelated.pdf'));
      const report = await installForms({ source, formsDir, manifests: [manifest] });
      expect(report.failed.map((f) => f.formNumber)).toEqual(['CLETS-001']);
      expect(report.failed[0].message).toContain('clets001.pdf');
    } finally {
      rmSync(source, { recursive: true, force: true });
      rmSync(formsDir, { recursive: true, force: true });
    }
  });
});

/** Serves the shared forms under the court's own file names (dv109.pdf), as a court website would. */
function serveForms(): Promise<{ server: Server; base: string; requested: string[] }> {
  const byPublishedName: Record<string, string> = { '/forms/dv109.pdf': CA_FORMS[1].source };
  const requested: string[] = [];
  const server = createServer((req, res) => {
    requested.push(req.url ?? '');
    const file = byPublishedName[req.url ?? ''];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/pdf' })
      .end(readFileSync(join(COURT_FORMS_DIR, file)));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, base: `http://127.0.0.1:${port}/forms/`, requested });
    }),
  );
}

describe('installForms from a URL', () => {
  it('fetches <base>/<published file name>, verifies and installs it; reports a missing one', async () => {
    const manifest = loadCaManifest();
    const { server, base, requested } = await serveForms();
    const formsDir = mkdtempSync(join(tmpdir(), 'forms-url-'));
    try {
      const report = await installForms({
        source: base,
        formsDir,
        manifests: [
          { ...manifest, documents: manifest.documents.filter((d) => d.id !== 'dv-100') },
        ],
      });
      expect(requested).toEqual(['/forms/dv109.pdf', '/forms/clets001.pdf']);
      expect(report.installed.map((r) => r.documentId)).toEqual(['dv-109']);
      expect(report.failed).toEqual([
        expect.objectContaining({
          formNumber: 'CLETS-001',
          message: expect.stringContaining('HTTP 404'),
        }),
      ]);
      expect(formsStatus(manifest, formsDir).missing.map((m) => m.documentId)).toEqual([
        'dv-100',
        'clets-001',
      ]);
    } finally {
      server.close();
      rmSync(formsDir, { recursive: true, force: true });
    }
  });
});

describe('formsStatus for a pack whose forms are not installed', () => {
  const manifest = loadCaManifest();
  const formsDir = mkdtempSync(join(tmpdir(), 'forms-empty-'));
  afterAll(() => rmSync(formsDir, { recursive: true, force: true }));

  it('lists exactly the missing forms with where to get them', () => {
    const status = formsStatus(manifest, formsDir);
    expect(status.installed).toBe(false);
    expect(status.missing).toEqual([
      {
        documentId: 'dv-100',
        formNumber: 'DV-100',
        title: 'Request for Domestic Violence Restraining Order',
        publishedAt: 'https://selfhelp.courts.ca.gov/jcc-form/DV-100',
        expectedFileHint: 'dv100.pdf',
      },
      expect.objectContaining({ documentId: 'dv-109', expectedFileHint: 'dv109.pdf' }),
      expect.objectContaining({ documentId: 'clets-001', expectedFileHint: 'clets001.pdf' }),
    ]);
  });

  it('builds a message naming each missing form and the install command', () => {
    const message = missingFormsMessage(manifest, formsStatus(manifest, formsDir));
    for (const n of ['DV-100', 'DV-109', 'CLETS-001']) expect(message).toContain(n);
    expect(message).toContain(INSTALL_FORMS_COMMAND);
    expect(INSTALL_FORMS_COMMAND).toBe('npm run cli -- install-forms --from <folder-or-url>');
    const error = formsNotInstalledError(manifest, formsStatus(manifest, formsDir));
    expect(error.code).toBe(ErrorCode.FormsNotInstalled);
    expect(error.details.map((d) => d.field)).toEqual([
      'documents.dv-100',
      'documents.dv-109',
      'documents.clets-001',
    ]);
  });

  it('treats a form installed from an older revision as missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'forms-stale-'));
    try {
      const packDir = join(dir, 'ca-dv');
      execFileSync('mkdir', ['-p', packDir]);
      writeFileSync(join(packDir, 'dv-109.pdf'), 'old');
      writeFileSync(
        join(packDir, 'installed.json'),
        JSON.stringify({
          packId: 'ca-dv',
          packVersion: '0',
          forms: {
            'dv-109': {
              file: 'dv-109.pdf',
              sourceSha256: '0'.repeat(64),
              preparedSha256: sha256(Buffer.from('old')),
            },
          },
        }),
      );
      expect(
        formsStatus(onlyDocument(manifest, 'dv-109'), dir).missing.map((m) => m.documentId),
      ).toEqual(['dv-109']);
      unlinkSync(join(packDir, 'installed.json'));
      expect(formsStatus(onlyDocument(manifest, 'dv-109'), dir).installed).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
