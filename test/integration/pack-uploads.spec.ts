import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFString } from '@cantoo/pdf-lib';
import PizZip from 'pizzip';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { parseCaseFacts } from '../../src/case-facts/parse-case-facts';
import { PETITIONER } from '../../src/cases/case-access';
import { CasesService } from '../../src/cases/cases.service';
import { PacketsService } from '../../src/packets/packets.service';
import { ForgedEntry, forgedZip } from '../../src/pack-uploads/zip-test-helpers';
import { TestApp } from '../support/app';
import { TEST_DB_KIND } from '../support/database';
import { fixture } from '../support/fixtures';
import { Files, editDocx, genericPack, zipOf } from '../support/pack-files';
import { pdfText } from '../support/pdf-reading';
import { staffApi } from '../support/staff';
import { createAccountsApp, login, seedOrganisation } from './accounts-app';

const TEMPLATES = join(__dirname, '..', '..', 'templates');
const UPLOAD_LIMIT = 1024 * 1024;
const INFLATED_LIMIT = 8 * 1024 * 1024;

function addToDocx(docx: Buffer, part: string, bytes: Buffer | string): Buffer {
  const zip = new PizZip(docx);
  zip.file(part, bytes);
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The good pack's entries, stored, plus `extra`: hostile entries ride along a valid pack. */
function forgedPack(extra: ForgedEntry[]): Buffer {
  const good = Object.entries(genericPack('9.9.9')).map(([name, data]) => ({ name, data }));
  return forgedZip([...good, ...extra]);
}

async function withPdf(bytes: Buffer, change: (doc: PDFDocument) => void): Promise<Buffer> {
  const doc = await PDFDocument.load(bytes);
  change(doc);
  return Buffer.from(await doc.save());
}

function qpdfInstalled(): boolean {
  try {
    execFileSync('qpdf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface ErrorBody {
  code: string;
  message: string;
  details: { field: string; file?: string; message: string }[];
}

interface VersionBody {
  id: string;
  packId: string;
  version: string;
  status: string;
  sha256: string;
  activatedAt: string | null;
}

describe(`organisations' own court packs (${TEST_DB_KIND})`, () => {
  let t: TestApp;
  let http: App;
  let adminA: string;
  let adminB: string;
  let attorneyA: string;
  let attorneyB: string;
  let first: VersionBody;
  let second: VersionBody;
  const form = readFileSync(join(TEMPLATES, 'generic-us', 'forms', 'confidential-information.pdf'));

  beforeAll(async () => {
    t = await createAccountsApp(undefined, {
      PACK_UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT),
      PACK_MAX_UNCOMPRESSED_BYTES: String(INFLATED_LIMIT),
    });
    http = t.app.getHttpServer() as App;
    const a = await seedOrganisation(t, 'Harbour Legal Aid');
    const b = await seedOrganisation(t, 'Hillside Law');
    adminA = await login(http, a.users.admin.email, a.users.admin.password);
    adminB = await login(http, b.users.admin.email, b.users.admin.password);
    attorneyA = await login(http, a.users.attorney.email, a.users.attorney.password);
    attorneyB = await login(http, b.users.attorney.email, b.users.attorney.password);
  });

  afterAll(() => t.close());

  const upload = (archive: Buffer, cookie = adminA): request.Test =>
    request(http)
      .post('/packs/uploads')
      .set('Cookie', cookie)
      .set('Content-Type', 'application/zip')
      .send(archive);

  /** The refusal's details, each as "file: message", for assertions that read like the answer. */
  async function refused(archive: Buffer): Promise<ErrorBody> {
    const res = await upload(archive);
    expect([res.status, (res.body as ErrorBody).code]).toEqual([400, 'validation_failed']);
    return res.body as ErrorBody;
  }

  function messages(body: ErrorBody): string[] {
    return body.details.map((d) => d.message);
  }

  async function packetVersion(cookie: string, packId: string): Promise<string> {
    const created = await request(http)
      .post('/cases')
      .set('Cookie', cookie)
      .send({ packId, facts: fixture('typical') })
      .expect(201);
    const packet = await request(http)
      .post(`/cases/${(created.body as { id: string }).id}/packets`)
      .set('Cookie', cookie)
      .expect(201);
    const body = packet.body as { pack: { id: string; version: string } };
    return `${body.pack.id} ${body.pack.version}`;
  }

  describe('refuses hostile archives, naming the entry, before anything is used', () => {
    it('a ZIP bomb that declares a small size: inflating stops at the declared size', async () => {
      const huge = Buffer.alloc(64 * 1024 * 1024);
      const bomb = forgedPack([
        {
          name: 'samples/bomb.json',
          data: deflateRawSync(huge),
          method: 8,
          plain: huge,
          declaredSize: 1000,
        },
      ]);
      expect(bomb.length).toBeLessThan(UPLOAD_LIMIT);
      const body = await refused(bomb);
      expect(messages(body)).toEqual([
        'samples/bomb.json: it inflates to more than the 1000 bytes it declares; inflating stopped there',
      ]);
      expect(body.details[0].file).toBe('samples/bomb.json');
    });

    it('an archive whose entries declare more than the uncompressed limit, refused before inflating', async () => {
      const body = await refused(
        forgedPack([
          { name: 'samples/big.json', data: Buffer.from('{}'), declaredSize: 0xfffffff0 },
        ]),
      );
      expect(messages(body).join('\n')).toMatch(
        new RegExp(`declares \\d+ bytes uncompressed; at most ${INFLATED_LIMIT} are accepted`),
      );
    });

    it('too many entries', async () => {
      const many: Files = {};
      for (let i = 0; i < 201; i++) many[`samples/s${i}.json`] = Buffer.from('{}');
      const body = await refused(await zipOf(many));
      expect(messages(body)).toEqual([
        'the archive declares 201 entries; at most 200 are accepted',
      ]);
    });

    it('names that climb out, absolute names, backslashes, drive letters and duplicates', async () => {
      const body = await refused(
        forgedPack([
          { name: '../evil', data: Buffer.from('x') },
          { name: '/abs', data: Buffer.from('x') },
          { name: 'forms\\x.pdf', data: Buffer.from('x') },
          { name: 'C:/x.pdf', data: Buffer.from('x') },
          { name: 'petition.docx', data: Buffer.from('x') },
        ]),
      );
      expect(messages(body)).toEqual([
        '../evil: its name climbs out of the archive ("..")',
        '/abs: its name is an absolute path',
        'forms\\\\x.pdf: its name holds a backslash',
        'C:/x.pdf: its name starts with a drive letter',
        'petition.docx: appears more than once in the archive',
      ]);
      expect(body.details.map((d) => d.file)).toEqual([
        '../evil',
        '/abs',
        'forms\\\\x.pdf',
        'C:/x.pdf',
        'petition.docx',
      ]);
    });

    it('encrypted entries and unsupported compression methods', async () => {
      const archive = forgedPack([{ name: 'samples/a.json', data: Buffer.from('{}'), method: 12 }]);
      const body = await refused(archive);
      expect(messages(body)).toEqual([
        'samples/a.json: it uses compression method 12; only stored (0) and deflate (8) are accepted',
      ]);
      const encrypted = forgedPack([{ name: 'samples/b.json', data: Buffer.from('{}') }]);
      // The general-purpose flag's bit 0, in the central directory and the local header alike.
      const central = encrypted.lastIndexOf(Buffer.from('samples/b.json')) - 46;
      encrypted.writeUInt16LE(0x0801, central + 8);
      const local = encrypted.indexOf(Buffer.from('samples/b.json')) - 30;
      encrypted.writeUInt16LE(0x0801, local + 6);
      expect(messages(await refused(encrypted))).toEqual(['samples/b.json: it is encrypted']);
    });

    it('a DOCX with a DOCTYPE and an external entity', async () => {
      const files = genericPack('9.9.9');
      files['petition.docx'] = editDocx(files['petition.docx'], 'word/document.xml', (xml) =>
        xml.replace('?>', '?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
      );
      const body = await refused(await zipOf(files));
      expect(messages(body)).toEqual([
        'petition.docx: part word/document.xml: it has a DOCTYPE declaration, which is not accepted',
        'petition.docx: part word/document.xml: it declares XML entities, which is not accepted',
      ]);
      expect(body.details[0]).toMatchObject({
        file: 'petition.docx',
        field: 'petition.docx:word/document.xml',
      });
    });

    it('a DOCX carrying a VBA project', async () => {
      const files = genericPack('9.9.9');
      const vba = Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        Buffer.alloc(64),
        Buffer.from('_VBA_PROJECT', 'utf16le'),
      ]);
      files['declaration.docx'] = addToDocx(files['declaration.docx'], 'word/vbaProject.bin', vba);
      expect(messages(await refused(await zipOf(files)))).toEqual([
        'declaration.docx: part word/vbaProject.bin: it is a VBA macro project; macros are not accepted',
      ]);
    });

    it('a DOCX with an external relationship', async () => {
      const files = genericPack('9.9.9');
      files['petition.docx'] = editDocx(
        files['petition.docx'],
        'word/_rels/document.xml.rels',
        (xml) =>
          xml.replace(
            '</Relationships>',
            '<Relationship Id="rIdEvil" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>',
          ),
      );
      expect(messages(await refused(await zipOf(files)))).toEqual([
        'petition.docx: part word/_rels/document.xml.rels: relationship rIdEvil points outside the document (TargetMode="External")',
      ]);
    });

    it('a PDF form that runs JavaScript when opened', async () => {
      const files = genericPack('9.9.9');
      files['forms/confidential-information.pdf'] = await withPdf(form, (doc) =>
        doc.catalog.set(
          PDFName.of('OpenAction'),
          doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') }),
        ),
      );
      expect(messages(await refused(await zipOf(files)))).toEqual([
        'forms/confidential-information.pdf: it runs JavaScript when opened (/OpenAction); not accepted',
      ]);
    });

    it('a PDF form with a Launch action on a page', async () => {
      const files = genericPack('9.9.9');
      files['forms/confidential-information.pdf'] = await withPdf(form, (doc) => {
        const link = doc.context.register(
          doc.context.obj({
            Type: 'Annot',
            Subtype: 'Link',
            Rect: [0, 0, 10, 10],
            A: { S: 'Launch', F: PDFString.of('calc.exe') },
          }),
        );
        doc.getPage(0).node.addAnnot(link);
      });
      expect(messages(await refused(await zipOf(files)))).toEqual([
        'forms/confidential-information.pdf: it has a Launch action, which can start another program; not accepted',
      ]);
    });

    (qpdfInstalled() ? it : it.skip)(
      'a PDF form encrypted with a password needed to open it (skipped without qpdf to make one)',
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'pack-upload-test-'));
        try {
          const source = join(TEMPLATES, 'generic-us', 'forms', 'confidential-information.pdf');
          execFileSync('qpdf', [
            '--encrypt',
            'user',
            'owner',
            '256',
            '--',
            source,
            join(dir, 'out.pdf'),
          ]);
          const files = genericPack('9.9.9');
          files['forms/confidential-information.pdf'] = readFileSync(join(dir, 'out.pdf'));
          expect(messages(await refused(await zipOf(files)))).toEqual([
            'forms/confidential-information.pdf: it is encrypted with a password needed to open it; upload the form without that password',
          ]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );

    it('a PDF declared as a form that has no fields', async () => {
      const blank = await PDFDocument.create();
      blank.addPage();
      const files = genericPack('9.9.9');
      files['forms/confidential-information.pdf'] = Buffer.from(await blank.save());
      expect(messages(await refused(await zipOf(files)))).toEqual([
        'forms/confidential-information.pdf: it is declared a pdf-form but has no fillable (AcroForm) fields',
      ]);
    });

    it('a file named .pdf that is a DOCX, and a file the manifest does not use', async () => {
      const files = genericPack('9.9.9');
      files['forms/confidential-information.pdf'] = files['petition.docx'];
      files['notes.txt'] = Buffer.from('hello');
      expect(messages(await refused(await zipOf(files)))).toEqual([
        'notes.txt: is not used by the manifest; remove it from the archive',
        'forms/confidential-information.pdf: is declared a PDF form but its bytes are a ZIP archive (such as a DOCX)',
      ]);
    });

    it('a pack that fails the same lint as a bundled pack, every finding listed', async () => {
      const files = genericPack('9.9.9');
      const mapping = JSON.parse(files['mappings/confidential-information.json'].toString()) as {
        fields: Record<string, unknown>;
      };
      const [first] = Object.keys(mapping.fields);
      delete mapping.fields[first];
      mapping.fields['No such field'] = { value: 'petitioner.fullName' };
      files['mappings/confidential-information.json'] = Buffer.from(JSON.stringify(mapping));
      files['declaration.docx'] = editDocx(files['declaration.docx'], 'word/document.xml', (xml) =>
        xml.replace('<w:body>', '<w:body><w:p><w:r><w:t>{no.such.tag}</w:t></w:r></w:p>'),
      );
      const body = await refused(await zipOf(files));
      const byDocument = body.details.map((d) => `${d.file} | ${d.message}`).join('\n');
      expect(byDocument).toContain(
        `forms/confidential-information.pdf (confidential-information) [${first}]: form field "${first}"`,
      );
      expect(byDocument).toContain(
        'mapping names field "No such field", which the form does not have',
      );
      expect(byDocument).toMatch(
        /declaration\.docx \| declaration\.docx \(declaration\).*no\.such\.tag/,
      );
    });

    it('answers a body over PACK_UPLOAD_MAX_BYTES with 413 in the standard shape', async () => {
      const res = await upload(Buffer.alloc(UPLOAD_LIMIT + 1)).expect(413);
      expect(res.body).toEqual({
        code: 'payload_too_large',
        message: 'The pack archive is too large',
        details: [
          {
            field: 'body',
            message: `the archive may be at most ${UPLOAD_LIMIT} bytes (PACK_UPLOAD_MAX_BYTES)`,
          },
        ],
      });
    });

    it('wants a ZIP body', async () => {
      const res = await request(http)
        .post('/packs/uploads')
        .set('Cookie', adminA)
        .send({ pack: 'x' })
        .expect(400);
      expect((res.body as ErrorBody).details).toEqual([
        {
          field: 'body',
          message: 'send the pack as a ZIP archive with Content-Type: application/zip',
        },
      ]);
      const notZip = await refused(Buffer.from('%PDF-1.7 not a zip'));
      expect(messages(notZip)).toEqual(['the upload is not a ZIP archive: its bytes are a PDF']);
    });

    it('records every refusal in the audit trail as a failed upload', async () => {
      const failed = await t.app
        .get(DataSource)
        .getRepository(AuditEventEntity)
        .countBy({ action: 'pack.upload', outcome: 'failed' });
      expect(failed).toBeGreaterThanOrEqual(12);
    });
  });

  describe('a good pack: upload, preview, activate, use, restore', () => {
    it('uploads as a draft', async () => {
      const res = await upload(await zipOf(genericPack('1.1.0'))).expect(201);
      first = res.body as VersionBody;
      expect(first).toMatchObject({
        packId: 'generic-us',
        version: '1.1.0',
        status: 'draft',
        activatedAt: null,
      });
      expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
      const stored = readdirSync(join(t.env.dataDir, 'pack-uploads', first.id)).sort();
      // Sorted by the pack's paths: common/forms/...pdf, common/mappings/...json, common/next-steps.docx, ...
      expect(stored).toEqual([
        'f001.pdf',
        'f002.json',
        'f003.docx',
        'f004.docx',
        'f005.pdf',
        'f006.json',
        'f007.json',
        'f008.docx',
      ]);
    });

    it('accepts a form encrypted with an owner password only, as the California forms are', async () => {
      if (!qpdfInstalled())
        return void console.warn('qpdf missing: owner-password form not tested');
      const dir = mkdtempSync(join(tmpdir(), 'pack-upload-test-'));
      try {
        const source = join(TEMPLATES, 'generic-us', 'forms', 'confidential-information.pdf');
        execFileSync('qpdf', ['--encrypt', '', 'owner', '256', '--', source, join(dir, 'out.pdf')]);
        const files = genericPack('1.2.0');
        files['forms/confidential-information.pdf'] = readFileSync(join(dir, 'out.pdf'));
        const res = await upload(await zipOf(files)).expect(201);
        second = res.body as VersionBody;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("refuses a version it already has, and the bundled pack's own version", async () => {
      const again = await refused(await zipOf(genericPack('1.1.0')));
      expect(messages(again)).toEqual([
        'version 1.1.0 of pack "generic-us" was uploaded before: give this upload a new version',
      ]);
      const bundled = await refused(await zipOf(genericPack('1.0.0')));
      expect(messages(bundled)[0]).toMatch(/the bundled pack "generic-us" is version 1.0.0 too/);
    });

    it('previews the pack on the sample case without saving a case', async () => {
      const cases = await t.app.get(DataSource).query('SELECT COUNT(*) AS n FROM cases');
      const res = await request(http)
        .post(`/packs/uploads/${first.id}/preview`)
        .set('Cookie', adminA)
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['cache-control']).toBe('no-store');
      const text = await pdfText(res.body as Buffer);
      expect(text).toContain('Jennifer Anne Walsh');
      expect(text).toContain('Uploaded court pack 1.1.0');
      expect(await t.app.get(DataSource).query('SELECT COUNT(*) AS n FROM cases')).toEqual(cases);
    });

    it("changes nothing until activated, then the organisation's packets record the version", async () => {
      expect(await packetVersion(attorneyA, 'generic-us')).toBe('generic-us 1.0.0');
      const res = await request(http)
        .post(`/packs/uploads/${first.id}/activate`)
        .set('Cookie', adminA)
        .expect(200);
      expect(res.body).toMatchObject({ id: first.id, status: 'active' });
      expect(await packetVersion(attorneyA, 'generic-us')).toBe('generic-us 1.1.0');
    });

    it('leaves other organisations and the petitioner interview on the bundled pack', async () => {
      expect(await packetVersion(attorneyB, 'generic-us')).toBe('generic-us 1.0.0');
      const cases = t.app.get(CasesService);
      const own = await cases.create({
        packId: 'generic-us',
        facts: parseCaseFacts(fixture('typical')),
      });
      const packet = await t.app.get(PacketsService).generate(own.id, PETITIONER);
      expect(`${packet.pack.id} ${packet.pack.version}`).toBe('generic-us 1.0.0');
    });

    it('activating the next version retires the last; restore brings it back', async () => {
      if (!second) return void console.warn('qpdf missing: second version not uploaded');
      await request(http)
        .post(`/packs/uploads/${second.id}/activate`)
        .set('Cookie', adminA)
        .expect(200);
      expect(await packetVersion(attorneyA, 'generic-us')).toBe('generic-us 1.2.0');
      const list = await request(http).get('/packs/uploads').set('Cookie', adminA).expect(200);
      expect((list.body as VersionBody[]).map((v) => `${v.version} ${v.status}`).sort()).toEqual([
        '1.1.0 retired',
        '1.2.0 active',
      ]);

      const notRetired = await request(http)
        .post(`/packs/uploads/${second.id}/restore`)
        .set('Cookie', adminA)
        .expect(400);
      expect((notRetired.body as ErrorBody).details[0].message).toMatch(
        /it is already the active version/,
      );
      const restored = await request(http)
        .post(`/packs/uploads/${first.id}/restore`)
        .set('Cookie', adminA)
        .expect(200);
      expect(restored.body).toMatchObject({ version: '1.1.0', status: 'active' });
      expect(await packetVersion(attorneyA, 'generic-us')).toBe('generic-us 1.1.0');
      const after = await request(http).get('/packs/uploads').set('Cookie', adminA).expect(200);
      expect((after.body as VersionBody[]).map((v) => `${v.version} ${v.status}`).sort()).toEqual([
        '1.1.0 active',
        '1.2.0 retired',
      ]);
    });

    it('lets an organisation add a pack id of its own, for its cases only', async () => {
      const res = await upload(await zipOf(genericPack('2025.1', 'harbour-county'))).expect(201);
      const id = (res.body as VersionBody).id;
      await request(http)
        .post('/cases')
        .set('Cookie', attorneyA)
        .send({ packId: 'harbour-county', facts: fixture('typical') })
        .expect(400);
      await request(http).post(`/packs/uploads/${id}/activate`).set('Cookie', adminA).expect(200);
      expect(await packetVersion(attorneyA, 'harbour-county')).toBe('harbour-county 2025.1');
      const elsewhere = await request(http)
        .post('/cases')
        .set('Cookie', attorneyB)
        .send({ packId: 'harbour-county', facts: fixture('typical') })
        .expect(400);
      expect((elsewhere.body as ErrorBody).code).toBe('pack_not_found');
    });

    it('records uploads, activations and restores, by version id', async () => {
      const rows = await t.app
        .get(DataSource)
        .getRepository(AuditEventEntity)
        .find({ where: { outcome: 'ok' }, order: { seq: 'ASC' } });
      const packs = rows.filter((r) => r.action.startsWith('pack.'));
      expect(packs.filter((r) => r.subject === first.id).map((r) => r.action)).toEqual([
        'pack.upload',
        'pack.activate',
        'pack.restore',
      ]);
    });
  });

  describe('only its organisation, and only admins', () => {
    it("answers another organisation's version exactly like a missing one", async () => {
      for (const action of ['preview', 'activate', 'restore']) {
        const theirs = await request(http)
          .post(`/packs/uploads/${first.id}/${action}`)
          .set('Cookie', adminB);
        const missing = await request(http)
          .post(`/packs/uploads/${randomUUID()}/${action}`)
          .set('Cookie', adminB);
        expect([action, theirs.status, theirs.text]).toEqual([action, 404, missing.text]);
      }
      const list = await request(http).get('/packs/uploads').set('Cookie', adminB).expect(200);
      expect(list.body).toEqual([]);
    });

    it('refuses paralegals and attorneys, and any API token, with 403', async () => {
      const archive = await zipOf(genericPack('3.0.0'));
      const paralegal = await staffApi(t.app, { role: 'paralegal' });
      await paralegal
        .post('/packs/uploads')
        .set('Content-Type', 'application/zip')
        .send(archive)
        .expect(403);
      await paralegal.get('/packs/uploads').expect(403);
      await upload(archive, attorneyA).expect(403);
      // packs:manage is not a token scope: even an admin's token cannot change the packs.
      const adminToken = await staffApi(t.app, { role: 'admin' });
      await adminToken
        .post('/packs/uploads')
        .set('Content-Type', 'application/zip')
        .send(archive)
        .expect(403);
    });

    it('keeps uploads where nothing serves them, under generated names', () => {
      const dir = join(t.env.dataDir, 'pack-uploads', first.id);
      for (const name of readdirSync(dir)) expect(name).toMatch(/^f\d{3}\.(pdf|docx|json)$/);
    });
  });
});
