import { existsSync } from 'node:fs';
import { join } from 'node:path';
import PizZip from 'pizzip';
import request from 'supertest';
import { App } from 'supertest/types';
import { TestApp, createTestApp } from '../support/app';
import { binaryParser } from '../support/binary';
import { TEST_DB_KIND } from '../support/database';
import { fixture } from '../support/fixtures';
import { pdfOutline, pdfText } from '../support/pdf-reading';
import { StaffApi, staffApi } from '../support/staff';

describe(`REST API end to end (${TEST_DB_KIND})`, () => {
  let t: TestApp;
  let http: App;
  let api: StaffApi;

  beforeAll(async () => {
    t = await createTestApp();
    http = t.app.getHttpServer() as App;
    api = await staffApi(t.app);
  });

  afterAll(() => t.close());

  async function createCase(facts = fixture('typical')): Promise<string> {
    const res = await api.post('/cases').send({ packId: 'generic-us', facts }).expect(201);
    return (res.body as { id: string }).id;
  }

  it('creates, reads, updates and deletes a case', async () => {
    const id = await createCase();
    const read = await api
      .get(`/cases/${id}`)
      .expect(200)
      .expect('Cache-Control', 'no-store')
      .expect('X-Content-Type-Options', 'nosniff')
      .expect('Referrer-Policy', 'no-referrer');
    expect(read.headers['content-security-policy']).toBe(
      "default-src 'none';frame-ancestors 'none'",
    );
    expect(read.body.facts.petitioner.name.full).toBe('Jennifer Anne Walsh');
    // Before generating, the petitioner learns the stay-away order will name the workplace.
    expect(read.body.safetyNotices).toEqual([
      expect.objectContaining({
        code: 'stay_away_place_visible',
        field: 'requestedOrders.stayAway.places',
      }),
    ]);

    const facts = fixture('typical');
    (facts.court as Record<string, unknown>).caseNumber = '26-PO-0042';
    await api.put(`/cases/${id}`).send({ facts, confidential: 'replace' }).expect(200);
    const updated = await api.get(`/cases/${id}`).expect(200);
    expect(updated.body.facts.court.caseNumber).toBe('26-PO-0042');

    await api.delete(`/cases/${id}`).expect(204);
    await api.get(`/cases/${id}`).expect(404);
  });

  it('answers 400 naming every failing field', async () => {
    const facts = fixture('minimal');
    (facts.petitioner as Record<string, unknown>).dateOfBirth = '2025-02-29';
    (facts.respondent as Record<string, unknown>).favouriteColour = 'red';
    delete (facts.signature as Record<string, unknown>).date;
    const res = await api.post('/cases').send({ packId: 'generic-us', facts }).expect(400);
    expect(res.body.code).toBe('validation_failed');
    const fields = (res.body.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'facts.petitioner.dateOfBirth',
        'facts.respondent.favouriteColour',
        'facts.signature.date',
      ]),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses an unknown pack and malformed JSON with the error shape', async () => {
    const res = await api
      .post('/cases')
      .send({ packId: 'no-such-pack', facts: fixture('minimal') })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'pack_not_found', details: [{ field: 'packId' }] });
    const bad = await api
      .post('/cases')
      .set('Content-Type', 'application/json')
      .send('{"packId": ')
      .expect(400);
    expect(bad.body).toEqual({
      code: 'validation_failed',
      message: 'Request body is not valid JSON',
      details: [{ field: 'body', message: 'not valid JSON' }],
    });
  });

  it('answers 413 for a body larger than any real case', async () => {
    const facts = fixture('minimal');
    (facts.incidents as Record<string, unknown>[])[0].narrative = 'x'.repeat(3 * 1024 * 1024);
    const res = await api.post('/cases').send({ packId: 'generic-us', facts }).expect(413);
    expect(res.body).toEqual({
      code: 'payload_too_large',
      message: 'Request body too large',
      details: [],
    });
  });

  it('answers 404 the same way for a missing id and a malformed one', async () => {
    const missing = await api.get('/cases/1b4e28ba-2fa1-41d2-883f-0016d3cca427').expect(404);
    const odd = await api.get('/cases/..%2F..%2Fetc%2Fpasswd').expect(404);
    expect(odd.body).toEqual(missing.body);
    expect(missing.body).toEqual({ code: 'not_found', message: 'Not found', details: [] });
  });

  it('generates a packet whose merged PDF names both parties on page 1', async () => {
    const id = await createCase();
    const gen = await api.post(`/cases/${id}/packets`).expect(201);
    const packet = gen.body as {
      id: string;
      pack: { id: string };
      documents: { id: string; files: { name: string }[] }[];
      links: { merged: string | null; archive: string };
      warnings: string[];
    };
    expect(packet.pack.id).toBe('generic-us');
    expect(packet.documents.map((d) => d.id)).toEqual([
      'petition',
      'declaration',
      'confidential-information',
      'service-information',
      'next-steps',
    ]);
    const list = await api.get(`/cases/${id}/packets`).expect(200);
    expect(list.body).toHaveLength(1);

    expect(packet.links.merged).not.toBeNull();
    const pdf = await api
      .get(packet.links.merged as string)
      .buffer(true)
      .parse(binaryParser)
      .expect(200)
      .expect('Content-Type', 'application/pdf')
      .expect('Cache-Control', 'no-store');
    const page1 = await pdfText(pdf.body as Buffer, { first: 1, last: 1 });
    expect(page1).toContain('Jennifer Anne Walsh');
    expect(page1).toContain('Kevin Michael Walsh');
    expect(await pdfOutline(pdf.body as Buffer)).toEqual([
      'Petition for Protective Order',
      'Declaration in Support of Petition for Protective Order',
      'Confidential Information for the Court',
      'Information for Service by Law Enforcement',
    ]);
    const disposition = pdf.headers['content-disposition'];
    expect(disposition).toBe('attachment; filename="packet.pdf"');

    const docx = await api
      .get(`/cases/${id}/packets/${packet.id}/files/01-petition.docx`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const xml = new PizZip(docx.body as Buffer).file('word/document.xml')?.asText() ?? '';
    expect(xml).toContain('Kevin Michael Walsh');

    const zip = await api
      .get(packet.links.archive)
      .buffer(true)
      .parse(binaryParser)
      .expect(200)
      .expect('Content-Type', 'application/zip');
    const names = Object.keys(new PizZip(zip.body as Buffer).files).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'packet.pdf',
        'manifest.json',
        '01-petition.docx',
        '02-declaration.docx',
      ]),
    );
    expect(names.join(' ')).not.toMatch(/walsh|jennifer|kevin/i);

    await api.get(`/cases/${id}/packets/${packet.id}/files/..%2Fmanifest.json`).expect(404);
    await api.delete(`/cases/${id}`).expect(204);
    expect(existsSync(join(t.env.config.artifactsDir, id))).toBe(false);
    await api.get(packet.links.archive).expect(404);
  });

  it('reports the database, packs and converters in health', async () => {
    const res = await request(http).get('/health').expect(200);
    expect(res.body.database).toEqual({
      kind: TEST_DB_KIND === 'postgres' ? 'postgres' : 'better-sqlite3',
      ok: true,
    });
    expect(res.body.packs).toContainEqual(
      expect.objectContaining({ id: 'generic-us', ready: true, missingForms: [] }),
    );
    expect(res.body.converters.docxToPdf).toHaveProperty('available');
  });

  it('serves the OpenAPI description at /docs', async () => {
    const res = await request(http).get('/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/cases', '/cases/{caseId}/packets']),
    );
  });
});
