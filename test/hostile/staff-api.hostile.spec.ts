import PizZip from 'pizzip';
import request, { Response } from 'supertest';
import { App } from 'supertest/types';
import { LIMITS } from '../../src/case-facts/case-facts.dto';
import { TestApp, createTestApp } from '../support/app';
import { binaryParser } from '../support/binary';
import { TEST_DB_KIND } from '../support/database';
import { fixture } from '../support/fixtures';
import { pdfFieldValues, pdfText } from '../support/pdf-reading';
import { StaffApi, staffApi } from '../support/staff';
import {
  expectNoLeak,
  factsWith,
  Facts,
  LITERAL_NAMES,
  REFUSED_CHARACTERS,
  refusedMessage,
  SENTINEL_NAME,
  UNPRINTABLE_NAMES,
  unprintableMessage,
} from './support/hostile';
import { docxProblems, docxVisibleText } from './support/strict-xml';

/**
 * The staff API with bad input: every answer is either a 4xx naming the field (the dotted path
 * in `details[].field`) or the value stored and rendered exactly, and no failure shows a stack,
 * SQL, a server path or another organisation's case. LibreOffice is left out (files, no merged
 * PDF): what is tested is the input, not the conversion.
 */

const MISSING_ID = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const NOT_FOUND = { code: 'not_found', message: 'Not found', details: [] };

describe(`staff API with bad input (${TEST_DB_KIND})`, () => {
  let t: TestApp;
  let http: App;
  let api: StaffApi;
  let other: StaffApi;
  let otherCase: string;
  let otherPacket: string;

  beforeAll(async () => {
    t = await createTestApp({ SOFFICE_PATH: '/nonexistent/soffice' });
    http = t.app.getHttpServer() as App;
    api = await staffApi(t.app);
    other = await staffApi(t.app);
    const created = await other
      .post('/cases')
      .send({ packId: 'generic-us', facts: factsWith('petitioner.name.full', SENTINEL_NAME) })
      .expect(201);
    otherCase = (created.body as { id: string }).id;
    otherPacket = (
      (await other.post(`/cases/${otherCase}/packets`).expect(201)).body as { id: string }
    ).id;
  });

  afterAll(() => t.close());

  /** A refusal: the status, the error shape, the fields named, and nothing leaked. */
  function expectRefused(res: Response, status: number, code: string, fields: string[]): void {
    expect(res.status).toBe(status);
    expect(res.body).toEqual({
      code,
      message: expect.any(String),
      details: expect.any(Array),
    });
    expect((res.body.details as { field?: string }[]).map((d) => d.field)).toEqual(fields);
    expectNoLeak(res.text);
  }

  function create(facts: unknown, extra: Record<string, unknown> = {}): request.Test {
    return api.post('/cases').send({ packId: 'generic-us', facts, ...extra });
  }

  async function createCase(facts: Facts): Promise<string> {
    const res = await create(facts).expect(201);
    return (res.body as { id: string }).id;
  }

  describe('names and text stored exactly as typed', () => {
    it.each(Object.entries(LITERAL_NAMES))(
      '%s round-trips through POST, GET and PUT',
      async (_l, name) => {
        const facts = factsWith('petitioner.name.full', name);
        factsWith('incidents.0.narrative', `He said: ${name}`, facts);
        const res = await create(facts).expect(201);
        expect(res.body.facts.petitioner.name.full).toBe(name);
        const id = (res.body as { id: string }).id;
        const read = await api.get(`/cases/${id}`).expect(200);
        expect(read.body.facts.petitioner.name.full).toBe(name);
        expect(read.body.facts.incidents[0].narrative).toBe(`He said: ${name}`);
        const renamed = factsWith('respondent.name.full', name, read.body.facts as Facts);
        await api.put(`/cases/${id}`).send({ facts: renamed, confidential: 'replace' }).expect(200);
        expect((await api.get(`/cases/${id}`).expect(200)).body.facts.respondent.name.full).toBe(
          name,
        );
      },
    );

    it('generates and downloads a packet that prints them literally', async () => {
      const facts = factsWith('petitioner.name.full', LITERAL_NAMES['angular expression']);
      factsWith('respondent.name.full', LITERAL_NAMES['XML and HTML'], facts);
      factsWith(
        'incidents.0.narrative',
        `${LITERAL_NAMES.hebrew} {#x}{/x} ${'\n'.repeat(3)}end`,
        facts,
      );
      factsWith(
        'petitioner.residentialAddress',
        { street: '1 Elm St', city: 'Boston', state: 'MA', postalCode: '02134' },
        facts,
      );
      const id = await createCase(facts);
      const packet = (await api.post(`/cases/${id}/packets`).expect(201)).body as {
        id: string;
        links: { files: Record<string, string>; archive: string };
      };
      const get = (url: string) => api.get(url).buffer(true).parse(binaryParser).expect(200);
      const petition = (await get(packet.links.files['01-petition.docx'])).body as Buffer;
      expect(docxProblems(petition)).toEqual({});
      expect(docxVisibleText(petition)).toContain(LITERAL_NAMES['angular expression']);
      expect(docxVisibleText(petition)).toContain(LITERAL_NAMES['XML and HTML']);
      const declaration = (await get(packet.links.files['02-declaration.docx'])).body as Buffer;
      expect(docxVisibleText(declaration)).toContain(`${LITERAL_NAMES.hebrew} {#x}{/x} \n\n\nend`);
      const form = (await get(packet.links.files['03-confidential-information.pdf']))
        .body as Buffer;
      expect(await pdfFieldValues(form)).toMatchObject({
        petitionerName: LITERAL_NAMES['angular expression'],
        petitionerResidencePostalCode: '02134',
      });
      const zip = new PizZip((await get(packet.links.archive)).body as Buffer);
      expect(Object.keys(zip.files).join(' ')).not.toMatch(/constructor|script|02134/);
    });
  });

  describe('a character none of our fonts draws is refused before anything is made', () => {
    it.each(Object.entries(UNPRINTABLE_NAMES))(
      '%s in a name (POST), naming the field and the character',
      async (_l, unprintable) => {
        const res = await create(factsWith('respondent.name.full', unprintable.name));
        expectRefused(res, 400, 'validation_failed', ['facts.respondent.name.full']);
        expect(res.body.details).toEqual([
          {
            field: 'facts.respondent.name.full',
            rule: 'printableText',
            message: unprintableMessage('facts.respondent.name.full', unprintable),
          },
        ]);
      },
    );

    it('an emoji in a narrative edit (PUT) is refused, and the case keeps its facts', async () => {
      const unprintable = UNPRINTABLE_NAMES['emoji newer than the emoji font'];
      const id = await createCase(fixture('minimal'));
      const res = await api
        .put(`/cases/${id}`)
        .send({ facts: factsWith('incidents.0.narrative', `He sent ${unprintable.name}`) });
      expectRefused(res, 400, 'validation_failed', ['facts.incidents.0.narrative']);
      expect(res.body.details[0].message).toBe(
        unprintableMessage('facts.incidents.0.narrative', unprintable),
      );
      const stored = await api.get(`/cases/${id}`).expect(200);
      expect(stored.body.facts.incidents[0].narrative).toBe(
        (fixture('minimal') as { incidents: { narrative: string }[] }).incidents[0].narrative,
      );
      expect((await api.get(`/cases/${id}/packets`).expect(200)).body).toEqual([]);
    });

    it('Korean, Thai and emoji names generate a packet that prints them', async () => {
      const facts = factsWith('petitioner.name.full', LITERAL_NAMES.korean);
      factsWith('respondent.name.full', LITERAL_NAMES.thai, facts);
      factsWith('incidents.0.narrative', `He wrote ${LITERAL_NAMES['emoji skin tone']}`, facts);
      const id = await createCase(facts);
      const packet = (await api.post(`/cases/${id}/packets`).expect(201)).body as {
        links: { files: Record<string, string> };
      };
      const get = (url: string) => api.get(url).buffer(true).parse(binaryParser).expect(200);
      const form = (await get(packet.links.files['03-confidential-information.pdf']))
        .body as Buffer;
      expect(await pdfFieldValues(form)).toMatchObject({ petitionerName: LITERAL_NAMES.korean });
      expect(await pdfText(form)).toContain(LITERAL_NAMES.korean);
      const service = (await get(packet.links.files['04-service-information.pdf'])).body as Buffer;
      expect(await pdfText(service)).toContain(LITERAL_NAMES.thai);
    });
  });

  describe('refused input names the field', () => {
    it.each(Object.entries(REFUSED_CHARACTERS))('%s in a name', async (_l, refused) => {
      const res = await create(factsWith('petitioner.name.full', refused.text));
      expectRefused(res, 400, 'validation_failed', ['facts.petitioner.name.full']);
      expect(res.body.details[0].message).toBe(
        refusedMessage('facts.petitioner.name.full', refused),
      );
    });

    it.each(Object.entries(REFUSED_CHARACTERS))('%s in an edit (PUT)', async (_l, refused) => {
      const id = await createCase(fixture('minimal'));
      const res = await api
        .put(`/cases/${id}`)
        .send({ facts: factsWith('respondent.aliases', ['Joe', refused.text]) });
      expectRefused(res, 400, 'validation_failed', ['facts.respondent.aliases']);
      expect(res.body.details[0].message).toBe(refusedMessage('facts.respondent.aliases', refused));
      const stored = await api.get(`/cases/${id}`).expect(200);
      expect(stored.body.facts.respondent.aliases).toBeUndefined();
    });

    it('a lone surrogate sent as the JSON escape "\\ud800"', async () => {
      const body = JSON.stringify({ packId: 'generic-us', facts: fixture('minimal') }).replace(
        '"Maria Lopez"',
        '"Ana \\ud800"',
      );
      const res = await api.post('/cases').set('Content-Type', 'application/json').send(body);
      expectRefused(res, 400, 'validation_failed', ['facts.petitioner.name.full']);
    });

    it(`a narrative of ${LIMITS.narrative} characters is accepted, one more is refused`, async () => {
      await create(factsWith('incidents.0.narrative', 'y'.repeat(LIMITS.narrative))).expect(201);
      const res = await create(
        factsWith('incidents.0.narrative', 'y'.repeat(LIMITS.narrative + 1)),
      );
      expectRefused(res, 400, 'validation_failed', ['facts.incidents.0.narrative']);
      expect(res.body.details[0].message).toBe(
        `facts.incidents.0.narrative must be shorter than or equal to ${LIMITS.narrative} characters`,
      );
    });

    it('a 1 MB word is refused by its length, naming the field', async () => {
      const res = await create(factsWith('incidents.0.narrative', 'w'.repeat(1024 * 1024)));
      expectRefused(res, 400, 'validation_failed', ['facts.incidents.0.narrative']);
    });

    it('a 10 MB body stops at the body limit with 413, saying why', async () => {
      const res = await create(factsWith('incidents.0.narrative', 'z'.repeat(10 * 1024 * 1024)));
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        code: 'payload_too_large',
        message: 'Request body too large',
        details: [],
      });
      expectNoLeak(res.text);
    });

    it.each([
      ['2026-02-30', 'facts.incidents.0.date'],
      ['02/03/2026', 'facts.incidents.0.date'],
      ['2026-13-01', 'facts.incidents.0.date'],
      [new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10), 'facts.incidents.0.date'],
    ])('an incident date of %s', async (date, field) => {
      const res = await create(factsWith('incidents.0.date', date));
      expectRefused(res, 400, 'validation_failed', [field]);
      expect(res.body.details[0].message).toBe(
        `${field} must be a date that exists, written YYYY-MM-DD, and not in the future`,
      );
    });

    it('a child older than the petitioner', async () => {
      const facts = fixture('typical');
      (facts.petitioner as Record<string, unknown>).dateOfBirth = '1995-03-01';
      (facts.protectedPersons as Record<string, unknown>[])[0].dateOfBirth = '1990-01-01';
      const res = await create(facts);
      expectRefused(res, 400, 'validation_failed', ['facts.protectedPersons']);
      expect(res.body.details[0].message).toBe('a child cannot be born before the petitioner');
    });

    it('a ZIP code sent as a number (the leading zero already lost)', async () => {
      const res = await create(factsWith('petitioner.mailingAddress.postalCode', 2134));
      expectRefused(res, 400, 'validation_failed', ['facts.petitioner.mailingAddress.postalCode']);
    });

    it.each([
      [
        'an array for a name',
        'petitioner.name.full',
        ['Ana', 'Maria'],
        'facts.petitioner.name.full must be a string',
      ],
      [
        'an object for a narrative',
        'incidents.0.narrative',
        { text: 'x' },
        'facts.incidents.0.narrative must be a string',
      ],
      ['a number for a city', 'court.county', 7, 'facts.court.county must be a string'],
    ])('%s', async (_l, path, value, message) => {
      const res = await create(factsWith(path, value));
      expectRefused(res, 400, 'validation_failed', [`facts.${path}`]);
      expect(res.body.details[0].message).toBe(message);
    });
  });

  describe('keys that reach prototypes, and nesting', () => {
    it.each([
      ['"__proto__" in the facts', '"facts":{"__proto__":{"polluted":true},', 'facts.__proto__'],
      [
        '"constructor" in a name',
        '"name":{"constructor":{"prototype":{"polluted":true}},',
        'facts.petitioner.constructor',
      ],
    ])('%s is refused, naming it, and pollutes nothing', async (_l, insert, field) => {
      const json = JSON.stringify({ packId: 'generic-us', facts: fixture('minimal') });
      const body =
        field === 'facts.__proto__'
          ? json.replace('"facts":{', insert)
          : json.replace('"petitioner":{', `"petitioner":${insert.replace('"name":{', '{')}`);
      const res = await api.post('/cases').set('Content-Type', 'application/json').send(body);
      expectRefused(res, 400, 'validation_failed', [field]);
      expect(res.body.details[0].message).toBe(`${field} is not an allowed field name`);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('10,000 levels of nesting are refused at the depth limit, naming where', async () => {
      const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
      const body = JSON.stringify({ packId: 'generic-us', facts: fixture('minimal') }).replace(
        '"gender":"female"',
        `"gender":${deep}`,
      );
      const res = await api.post('/cases').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details).toEqual([
        {
          field: expect.stringMatching(/^facts\.petitioner\.gender(\.a)+$/),
          message: 'nesting deeper than 32 levels',
        },
      ]);
      expectNoLeak(res.text);
    });

    it('10,000 nested arrays are refused the same way', async () => {
      const deep = '['.repeat(10_000) + ']'.repeat(10_000);
      const body = `{"packId":"generic-us","facts":${deep}}`;
      const res = await api.post('/cases').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: expect.stringMatching(/^facts(\.0)+$/), message: 'nesting deeper than 32 levels' },
      ]);
    });
  });

  describe('properties that would change who owns a case', () => {
    it('orgId and role beside the facts are refused, each named', async () => {
      const res = await create(fixture('minimal'), {
        orgId: other.organisationId,
        role: 'admin',
      });
      expectRefused(res, 400, 'validation_failed', ['orgId', 'role']);
      expect(res.body.details.map((d: { message: string }) => d.message)).toEqual([
        'orgId is not a known field',
        'role is not a known field',
      ]);
    });

    it('organisationId inside the facts is refused, naming it', async () => {
      const res = await create({ ...fixture('minimal'), organisationId: other.organisationId });
      expectRefused(res, 400, 'validation_failed', ['facts.organisationId']);
    });

    it('PUT with orgId is refused and the case stays in its organisation', async () => {
      const id = await createCase(fixture('minimal'));
      const res = await api
        .put(`/cases/${id}`)
        .send({ facts: fixture('minimal'), orgId: other.organisationId, role: 'admin' });
      expectRefused(res, 400, 'validation_failed', ['orgId', 'role']);
      await api.get(`/cases/${id}`).expect(200);
      const theirs = await other.get(`/cases/${id}`).expect(404);
      expect(theirs.body).toEqual(NOT_FOUND);
    });
  });

  describe("another organisation's case, odd ids and odd file names answer like a missing one", () => {
    let ownCase: string;
    let ownPacket: string;

    beforeAll(async () => {
      ownCase = await createCase(fixture('minimal'));
      ownPacket = ((await api.post(`/cases/${ownCase}/packets`).expect(201)).body as { id: string })
        .id;
    });

    const missingCase = () => api.get(`/cases/${MISSING_ID}`).expect(404);

    const URLS: Record<string, () => string> = {
      case: () => `/cases/${otherCase}`,
      packets: () => `/cases/${otherCase}/packets`,
      packet: () => `/cases/${otherCase}/packets/${otherPacket}`,
      archive: () => `/cases/${otherCase}/packets/${otherPacket}/packet.zip`,
      file: () => `/cases/${otherCase}/packets/${otherPacket}/files/01-petition.docx`,
    };

    it.each([
      ['GET', 'case'],
      ['PUT', 'case'],
      ['DELETE', 'case'],
      ['POST', 'packets'],
      ['GET', 'packets'],
      ['GET', 'packet'],
      ['GET', 'archive'],
      ['GET', 'file'],
    ])("%s on another organisation's %s", async (method, which) => {
      const missing = await missingCase();
      const path = URLS[which]();
      const res =
        method === 'GET'
          ? await api.get(path)
          : method === 'PUT'
            ? await api.put(path).send({ facts: fixture('minimal') })
            : method === 'DELETE'
              ? await api.delete(path)
              : await api.post(path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(missing.body);
      expectNoLeak(res.text);
      await other.get(`/cases/${otherCase}`).expect(200);
    });

    it.each([
      ['/cases/..%2F..%2Fetc%2Fpasswd'],
      ['/cases/%2e%2e'],
      ['/cases/%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
      ['/cases/..%5C..%5Cwindows%5Cwin.ini'],
      ['/cases/%00'],
      ['/cases/a%0d%0aSet-Cookie:%20pwned=1'],
      [`/cases/${MISSING_ID}/packets/..%2F..%2F..%2Fetc%2Fpasswd`],
    ])('GET %s is 404 exactly like a missing case', async (path) => {
      const missing = await missingCase();
      const res = await api.get(path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(missing.body);
      expect(res.headers['set-cookie']).toBeUndefined();
      expectNoLeak(res.text);
    });

    it.each([
      ['..%2F..%2Fetc%2Fpasswd'],
      ['%2e%2e%2fmanifest.json'],
      ['..%2F..%2F..%2Fmaster.key'],
      ['01-petition.docx%00.pdf'],
      ['01-petition.docx%0d%0aSet-Cookie:%20pwned=1'],
      ['packet.pdf%0d%0aContent-Disposition:%20inline'],
      ['%252e%252e%252fmanifest.json'],
    ])(
      'a file named %s in a real packet is 404 like a missing file, no header echoed',
      async (name) => {
        const base = `/cases/${ownCase}/packets/${ownPacket}/files`;
        const missing = await api.get(`${base}/no-such-file.pdf`).expect(404);
        const res = await api.get(`${base}/${name}`);
        expect(res.status).toBe(404);
        expect(res.body).toEqual(missing.body);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.headers['content-disposition']).toBeUndefined();
        expect(JSON.stringify(res.headers)).not.toMatch(/pwned|inline|passwd/);
        expectNoLeak(res.text);
      },
    );

    it.each([['/cases/%E0%A4%A'], ['/cases/%'], [`/cases/${MISSING_ID}/packets/%ZZ`]])(
      'GET %s (not even valid percent-encoding) is 404 like a missing case, nothing quoted',
      async (path) => {
        const missing = await missingCase();
        const res = await api.get(path);
        expect(res.status).toBe(404);
        expect(res.body).toEqual(missing.body);
        expectNoLeak(res.text);
      },
    );
  });

  it('the other organisation still has its case, unchanged', async () => {
    const res = await other.get(`/cases/${otherCase}`).expect(200);
    expect(res.body.facts.petitioner.name.full).toBe(SENTINEL_NAME);
    // No request without a token learns anything either.
    const anonymous = await request(http).get(`/cases/${otherCase}`);
    expect(anonymous.status).toBe(401);
    expectNoLeak(anonymous.text);
  });
});
