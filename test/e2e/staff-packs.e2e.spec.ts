import { randomUUID } from 'node:crypto';
import PizZip from 'pizzip';
import type { Response } from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { TestApp, createTestApp } from '../support/app';
import { TEST_DB_KIND } from '../support/database';
import { StaffAgent, StaffRole, signInAs } from '../support/staff';
import { fixture } from '../support/fixtures';
import { csrfOf, decodeHtml, title } from '../support/html-text';
import { Files, editDocx, genericPack, zipOf } from '../support/pack-files';
import { SeededOrganisation, seedOrganisation } from '../integration/accounts-app';

/**
 * The pack pages driven with plain HTTP, as a browser without JavaScript uses them: uploads are
 * multipart/form-data with the page's form token among the fields, actions are form posts.
 */

/** Small, so the oversized uploads stay quick; the generic pack is about 70 kB. */
const MAX_BYTES = 256 * 1024;

/** Every text run of every DOCX in a ZIP, to find what a preview printed. */
function docxTexts(zipBytes: Buffer): string {
  const zip = new PizZip(zipBytes);
  return Object.keys(zip.files)
    .filter((name) => name.endsWith('.docx'))
    .map((name) => {
      const docx = new PizZip(zip.file(name)?.asNodeBuffer() ?? Buffer.alloc(0));
      return (docx.file('word/document.xml')?.asText() ?? '').replace(/<[^>]+>/g, '');
    })
    .join('\n');
}

/** The problem table's rows as `file | problem`. */
function problemRows(html: string): string[] {
  const body = /<caption id="problems-caption"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1];
  return [
    ...(body ?? '').matchAll(/<tr>\s*<th scope="row"[^>]*>([^<]*)<\/th>\s*<td[^>]*>([^<]*)<\/td>/g),
  ].map((m) => `${decodeHtml(m[1] ?? '')} | ${decodeHtml(m[2] ?? '')}`);
}

/** The versions table's rows as `pack | version | status | uploader`. */
function versionRows(html: string): string[] {
  const body = /<caption id="versions-caption"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1];
  return [
    ...(body ?? '').matchAll(
      /<tr>\s*<th scope="row">([^<]*)<\/th>\s*<td><a class="table-link" href="\/staff\/packs\/[0-9a-f-]{36}">([^<]*)<span[^>]*>[^<]*<\/span><\/a><\/td>\s*<td[^>]*>[^<]*<\/td>\s*<td><span[^>]*>([^<]*)<\/span><\/td>\s*<td>[\s\S]*?<\/td>\s*<td[^>]*>([^<]*)<\/td>/g,
    ),
  ].map((m) => [m[1], m[2], m[3], m[4]].map((c) => decodeHtml(c ?? '')).join(' | '));
}

interface Upload {
  archive?: Buffer;
  /** Sent under `files`, each by its name only, as a browser sends files picked one by one. */
  files?: Files;
  csrf?: string | null;
}

class StaffBrowser extends StaffAgent {
  async get(path: string): Promise<Response> {
    const res = await this.agent.get(path);
    expect(res.headers['cache-control']).toBe('no-store');
    return res;
  }

  async post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.agent.post(path).type('form').send(new URLSearchParams(fields).toString());
  }

  async token(): Promise<string> {
    return csrfOf((await this.get('/staff/matters')).text);
  }

  /** The upload form as a browser sends it, with the page's token unless given. */
  async upload(input: Upload): Promise<Response> {
    const csrf = input.csrf === undefined ? await this.token() : input.csrf;
    let req = this.agent.post('/staff/packs');
    if (csrf !== null) req = req.field('_csrf', csrf);
    if (input.archive) {
      req = req.attach('archive', input.archive, {
        filename: 'county-pack.zip',
        contentType: 'application/zip',
      });
    }
    for (const [path, bytes] of Object.entries(input.files ?? {})) {
      const name = path.slice(path.lastIndexOf('/') + 1);
      req = req.attach('files', bytes, { filename: name, contentType: 'application/octet-stream' });
    }
    const res = await req;
    expect(res.headers['cache-control']).toBe('no-store');
    return res;
  }

  /** The preview form's answer, the file's bytes as they came. */
  async preview(id: string, csrf: string): Promise<Response> {
    return this.agent
      .post(`/staff/packs/${id}/preview`)
      .type('form')
      .send({ _csrf: csrf })
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
  }

  /** The id in the address an upload redirects to. */
  static uploaded(res: Response): string {
    expect(res.status).toBe(303);
    const location = String(res.headers.location);
    const id = /^\/staff\/packs\/([0-9a-f-]{36})\?done=uploaded$/.exec(location)?.[1];
    if (!id) throw new Error(`not a new version: ${location}`);
    return id;
  }
}

describe(`the pack pages (${TEST_DB_KIND})`, () => {
  let t: TestApp;
  let http: App;
  let harbour: SeededOrganisation;
  let hillside: SeededOrganisation;
  let admin: StaffBrowser;
  let first: string;
  let second: string;

  beforeAll(async () => {
    t = await createTestApp({
      // LibreOffice stays out of it: a preview is then every document in a ZIP, quickly.
      SOFFICE_PATH: '/nonexistent/soffice',
      PACK_UPLOAD_MAX_BYTES: String(MAX_BYTES),
    });
    http = t.app.getHttpServer() as App;
    harbour = await seedOrganisation(t, 'Harbour Legal Aid');
    hillside = await seedOrganisation(t, 'Hillside Law');
    admin = await signedIn(harbour, 'admin');
  });

  afterAll(() => t.close());

  const signedIn = (org: SeededOrganisation, role: StaffRole): Promise<StaffBrowser> =>
    signInAs(new StaffBrowser(http), org.users[role]);

  async function listed(b: StaffBrowser = admin): Promise<string[]> {
    const page = await b.get('/staff/packs');
    expect(page.status).toBe(200);
    return versionRows(page.text);
  }

  it('offers Packs to admins only, and refuses paralegals and attorneys with 403 pages', async () => {
    const matters = await admin.get('/staff/matters');
    expect(matters.text).toContain('<a class="staff-nav-link" href="/staff/packs">Packs</a>');
    for (const role of ['paralegal', 'attorney'] as const) {
      const b = await signedIn(harbour, role);
      expect((await b.get('/staff/matters')).text).not.toContain('href="/staff/packs"');
      const page = await b.get('/staff/packs');
      expect([role, page.status]).toEqual([role, 403]);
      expect(page.text).toContain('Your account cannot do this');
      const post = await b.upload({ archive: await zipOf(genericPack('7.0.0')) });
      expect([role, post.status]).toEqual([role, 403]);
      expect(post.text).toContain('Your account cannot do this');
      const action = await b.post(`/staff/packs/${randomUUID()}/activate`, {
        _csrf: await b.token(),
      });
      expect([role, action.status]).toEqual([role, 403]);
    }
  });

  it('shows an upload form that takes a ZIP or the files one by one', async () => {
    const page = await admin.get('/staff/packs');
    expect(title(page.text)).toBe('Staff — Packs');
    expect(page.text).toContain('aria-current="page">Packs</a>');
    expect(page.text).toContain('Your organisation has not uploaded a pack yet.');
    expect(page.text).toMatch(
      /<form class="pack-upload" method="post" action="\/staff\/packs" enctype="multipart\/form-data"/,
    );
    expect(page.text).toContain('<label class="label" for="pack-archive">The pack as a ZIP file');
    expect(page.text).toMatch(/<input id="pack-archive" name="archive" type="file"/);
    expect(page.text).toContain('<label class="label" for="pack-files">Or the pack’s files');
    expect(page.text).toMatch(/<input id="pack-files" name="files" type="file"[^>]* multiple/);
    expect(page.text).toContain('At most 0.3 MB and 200 files in all.');
  });

  it('stores an uploaded ZIP as a draft and lists it', async () => {
    first = StaffBrowser.uploaded(
      await admin.upload({ archive: await zipOf(genericPack('1.1.0')) }),
    );
    const page = await admin.get(`/staff/packs/${first}?done=uploaded`);
    expect(title(page.text)).toBe('Staff — generic-us 1.1.0');
    expect(page.text).toContain('stored as a draft');
    expect(page.text).toContain('<strong id="version-status">Draft</strong>');
    expect(page.text).toContain(harbour.users.admin.email);
    expect(page.text).toContain('>Activate 1.1.0</button>');
    expect(page.text).not.toContain('>Restore');
    expect(await listed()).toEqual([`generic-us | 1.1.0 | Draft | ${harbour.users.admin.email}`]);
  });

  it('stores files picked one by one the same way, each where the manifest names it', async () => {
    const files = genericPack('1.2.0');
    // A sample case of the pack's own: it goes to samples/, and a preview is made from it.
    files['samples/harbour.json'] = Buffer.from(JSON.stringify(fixture('minimal')));
    second = StaffBrowser.uploaded(await admin.upload({ files }));
    expect(await listed()).toEqual([
      `generic-us | 1.2.0 | Draft | ${harbour.users.admin.email}`,
      `generic-us | 1.1.0 | Draft | ${harbour.users.admin.email}`,
    ]);
    const page = await admin.get(`/staff/packs/${second}`);
    const preview = await admin.preview(second, csrfOf(page.text));
    expect(preview.status).toBe(200);
    const text = docxTexts(preview.body as Buffer);
    expect(text).toContain('Uploaded court pack 1.2.0');
    expect(text).toContain('Maria Lopez');
  });

  it('refuses a ZIP with a macro part, naming the file and the problem, and stores nothing', async () => {
    const files = genericPack('2.0.0');
    const vba = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(64),
      Buffer.from('_VBA_PROJECT', 'utf16le'),
    ]);
    const docx = new PizZip(files['declaration.docx']);
    docx.file('word/vbaProject.bin', vba);
    files['declaration.docx'] = docx.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
    const res = await admin.upload({ archive: await zipOf(files) });
    expect(res.status).toBe(400);
    expect(title(res.text)).toBe('Error: Staff — Pack refused');
    expect(res.text).toContain('<h1 class="heading">The pack was refused</h1>');
    expect(res.text).toContain('<a href="#problems">The pack has 1 problem: see the table</a>');
    expect(problemRows(res.text)).toEqual([
      'declaration.docx | Part word/vbaProject.bin: it is a VBA macro project; macros are not accepted',
    ]);
    expect(res.text).toContain('Nothing was stored');
    // The form comes again, to upload the fixed pack.
    expect(res.text).toMatch(/<input id="pack-archive" name="archive" type="file"/);
    expect(await listed()).toHaveLength(2);
  });

  it('refuses a DOCX with a DOCTYPE picked one by one, with every problem it has', async () => {
    const files = genericPack('2.0.1');
    files['petition.docx'] = editDocx(files['petition.docx'], 'word/document.xml', (xml) =>
      xml.replace('?>', '?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
    );
    const res = await admin.upload({ files });
    expect(res.status).toBe(400);
    expect(problemRows(res.text)).toEqual([
      'petition.docx | Part word/document.xml: it has a DOCTYPE declaration, which is not accepted',
      'petition.docx | Part word/document.xml: it declares XML entities, which is not accepted',
    ]);
    expect(res.text).not.toContain('/etc/passwd');
    expect(await listed()).toHaveLength(2);
  });

  it('names a file the manifest does not use, and a version uploaded before', async () => {
    const files = { ...genericPack('1.1.0'), 'notes.txt': Buffer.from('remember the fee') };
    const res = await admin.upload({ files });
    expect(res.status).toBe(400);
    expect(problemRows(res.text)).toEqual([
      'notes.txt | Is not used by the manifest; remove it from the archive',
    ]);
    const again = await admin.upload({ archive: await zipOf(genericPack('1.1.0')) });
    expect(problemRows(again.text)).toEqual([
      'manifest.json | Version 1.1.0 of pack "generic-us" was uploaded before: give this upload a new version',
    ]);
  });

  it('asks for a ZIP or files, not neither and not both, on the form', async () => {
    const none = await admin.upload({});
    expect(none.status).toBe(400);
    expect(title(none.text)).toBe('Error: Staff — Packs');
    expect(none.text).toContain(
      '<a href="#pack-archive">Choose the pack’s ZIP file, or its files</a>',
    );
    expect(none.text).toMatch(/id="pack-archive"[^>]*aria-invalid="true"/);
    const both = await admin.upload({
      archive: await zipOf(genericPack('3.0.0')),
      files: { 'manifest.json': Buffer.from('{}') },
    });
    expect(both.status).toBe(400);
    expect(both.text).toContain('Choose either the ZIP file or the pack’s files, not both');
    expect(await listed()).toHaveLength(2);
  });

  it('answers more than PACK_UPLOAD_MAX_BYTES with 413 and a page naming the limit', async () => {
    const big = await admin.upload({ archive: Buffer.alloc(MAX_BYTES + 1000) });
    expect(big.status).toBe(413);
    expect(title(big.text)).toBe('Error: Staff — Pack too large');
    expect(big.text).toContain('A pack can be at most 0.3 MB, in at most 200 files.');
    // Each file well under the limit, all of them together over it.
    const part = Buffer.alloc(Math.ceil(MAX_BYTES / 3) + 1000, 'a');
    const many = await admin.upload({ files: { 'a.json': part, 'b.json': part, 'c.json': part } });
    expect(many.status).toBe(413);
    expect(title(many.text)).toBe('Error: Staff — Pack too large');
    // More files than an archive may hold entries: refused while the form is read.
    const crowd: Files = {};
    for (let i = 0; i <= 200; i++) crowd[`s${i}.json`] = Buffer.from('{}');
    const crowded = await admin.upload({ files: crowd });
    expect(crowded.status).toBe(413);
    expect(crowded.text).toContain('in at most 200 files');
    expect(await listed()).toHaveLength(2);
  });

  it('previews a version on the sample case as a download, saving nothing', async () => {
    const cases = (): Promise<unknown> =>
      t.app.get(DataSource).query('SELECT COUNT(*) AS n FROM cases');
    const before = await cases();
    const page = await admin.get(`/staff/packs/${first}`);
    expect(page.text).toContain(`<form method="post" action="/staff/packs/${first}/preview">`);
    const res = await admin.preview(first, csrfOf(page.text));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="generic-us-1.1.0-preview.zip"',
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const text = docxTexts(res.body as Buffer);
    expect(text).toContain('Uploaded court pack 1.1.0');
    expect(text).toContain('Jennifer Anne Walsh');
    expect(await cases()).toEqual(before);
    expect(await listed()).toEqual([
      `generic-us | 1.2.0 | Draft | ${harbour.users.admin.email}`,
      `generic-us | 1.1.0 | Draft | ${harbour.users.admin.email}`,
    ]);
  });

  it('activates a draft, retires it when the next is activated, and restores it', async () => {
    const token = await admin.token();
    const activated = await admin.post(`/staff/packs/${first}/activate`, { _csrf: token });
    expect(activated.status).toBe(303);
    expect(activated.headers.location).toBe('/staff/packs?done=activated');
    const list = await admin.get('/staff/packs?done=activated');
    expect(list.text).toContain('The version was activated');
    expect(versionRows(list.text).map((r) => r.split(' | ').slice(1, 3).join(' '))).toEqual([
      '1.2.0 Draft',
      '1.1.0 Active',
    ]);
    const already = await admin.post(`/staff/packs/${first}/activate`, { _csrf: token });
    expect(already.status).toBe(409);
    expect(already.text).toContain('it is already the active version');

    await admin.post(`/staff/packs/${second}/activate`, { _csrf: token });
    expect((await listed()).map((r) => r.split(' | ').slice(1, 3).join(' '))).toEqual([
      '1.2.0 Active',
      '1.1.0 Retired',
    ]);
    const retired = await admin.get(`/staff/packs/${first}`);
    expect(retired.text).toContain('<strong id="version-status">Retired</strong>');
    expect(retired.text).toContain(`<form method="post" action="/staff/packs/${first}/restore">`);
    const restored = await admin.post(`/staff/packs/${first}/restore`, { _csrf: token });
    expect(restored.headers.location).toBe('/staff/packs?done=restored');
    expect((await listed()).map((r) => r.split(' | ').slice(1, 3).join(' '))).toEqual([
      '1.2.0 Retired',
      '1.1.0 Active',
    ]);
  });

  it('refuses an upload or an action without the form token', async () => {
    for (const csrf of [null, 'A'.repeat(43)]) {
      const res = await admin.upload({ archive: await zipOf(genericPack('4.0.0')), csrf });
      expect(res.status).toBe(403);
      expect(res.text).toContain('This form has expired');
      const action = await admin.post(
        `/staff/packs/${second}/restore`,
        csrf ? { _csrf: csrf } : {},
      );
      expect(action.status).toBe(403);
      expect(action.text).toContain('This form has expired');
    }
    expect((await listed()).map((r) => r.split(' | ').slice(1, 3).join(' '))).toEqual([
      '1.2.0 Retired',
      '1.1.0 Active',
    ]);
  });

  it("answers another organisation's version exactly like one that does not exist", async () => {
    const b = await signedIn(hillside, 'admin');
    const theirs = await b.get(`/staff/packs/${first}`);
    const missing = await b.get(`/staff/packs/${randomUUID()}`);
    expect(theirs.status).toBe(404);
    expect(theirs.text).toBe(missing.text);
    expect(theirs.text).toContain('Page not found');
    const token = csrfOf(theirs.text);
    for (const action of ['preview', 'activate', 'restore']) {
      const a = await b.post(`/staff/packs/${second}/${action}`, { _csrf: token });
      const m = await b.post(`/staff/packs/${randomUUID()}/${action}`, { _csrf: token });
      expect([action, a.status, m.status]).toEqual([action, 404, 404]);
      expect(a.text).toBe(m.text);
    }
    expect(await listed(b)).toEqual([]);
    expect((await b.get('/staff/packs')).text).not.toContain(first);
    expect((await listed()).map((r) => r.split(' | ').slice(1, 3).join(' '))).toEqual([
      '1.2.0 Retired',
      '1.1.0 Active',
    ]);
  });
});
