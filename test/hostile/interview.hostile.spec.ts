import request from 'supertest';
import { App } from 'supertest/types';
import { PETITIONER } from '../../src/cases/case-access';
import type { ScreenView } from '../../src/interview/interview-engine';
import { PacketsService } from '../../src/packets/packets.service';
import { TestApp, createTestApp } from '../support/app';
import { TEST_DB_KIND } from '../support/database';
import { screenKey } from '../support/interview-driver';
import { LIST_ITEMS, SCRIPT } from '../support/interview-script';
import { pdfFieldValues } from '../support/pdf-reading';
import { decodeHtml } from '../support/html-text';
import { pdfText } from '../support/pdf-reading';
import {
  expectNoLeak,
  LITERAL_NAMES,
  REFUSED_CHARACTERS,
  UNPRINTABLE_NAMES,
} from './support/hostile';
import { docxProblems, docxVisibleText } from './support/strict-xml';
import { FormBrowser, formWith } from './support/web-forms';

/**
 * The petitioner's interview with bad input, as JSON and as form posts: an answer is kept
 * exactly (trimmed of surrounding white space, as every text answer is) or refused in the
 * petitioner's language naming the question; no failure shows anything of the server.
 */

const NAME_LABEL = 'What is your full name?';
const characterMessage = (codePoint: string) =>
  `"${NAME_LABEL}" has a sign that cannot be printed on court papers (${codePoint}). Type it again without it.`;
const unprintableMessage = (
  label: string,
  { character, codePoint }: { character: string; codePoint: string },
) =>
  `"${label}" has a sign that cannot be printed on the court's forms: ${character} (${codePoint}). Type it again without it.`;

interface ScreenBody {
  sessionId: string;
  screen: ScreenView;
}

describe(`the interview with bad input (${TEST_DB_KIND})`, () => {
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp({ SOFFICE_PATH: '/nonexistent/soffice' });
    http = t.app.getHttpServer() as App;
  });

  afterAll(() => t.close());

  async function start(): Promise<ScreenBody> {
    const res = await request(http)
      .post('/interview')
      .send({ packId: 'generic-us', language: 'en' })
      .expect(201);
    return res.body as ScreenBody;
  }

  const answer = (sessionId: string, body: unknown) =>
    request(http)
      .post(`/interview/${sessionId}/answers`)
      .send(body as object);

  const answerRaw = (sessionId: string, json: string) =>
    request(http)
      .post(`/interview/${sessionId}/answers`)
      .set('Content-Type', 'application/json')
      .send(json);

  /** Answers every screen from the script, with `overrides`, until the review. */
  async function walk(
    sessionId: string,
    first: ScreenView,
    overrides: Record<string, Record<string, unknown>>,
  ): Promise<void> {
    let screen = first;
    for (let i = 0; i < 200 && screen.position.kind !== 'review'; i++) {
      const p = screen.position;
      const key = screenKey(p);
      const body =
        p.kind === 'list'
          ? {
              action:
                (screen.list?.items.length ?? 0) < (LIST_ITEMS[p.sectionId] ?? 0) ? 'add' : 'done',
            }
          : { answers: { ...SCRIPT[key], ...overrides[key] } };
      const res = await answer(sessionId, body);
      if (res.status !== 200) throw new Error(`${key}: ${res.status} ${res.text}`);
      screen = (res.body as ScreenBody).screen;
    }
  }

  describe('JSON API', () => {
    let session: ScreenBody;

    beforeAll(async () => {
      session = await start();
    });

    it.each(Object.entries(LITERAL_NAMES))('keeps the name "%s" exactly', async (_l, name) => {
      const next = await answer(session.sessionId, { answers: { 'petitioner-name': name } });
      expect(next.status).toBe(200);
      const back = await request(http).post(`/interview/${session.sessionId}/back`).expect(200);
      const question = (back.body as ScreenBody).screen.questions.find(
        (q) => q.id === 'petitioner-name',
      );
      expect(question?.value).toBe(name);
    });

    it.each(Object.entries(REFUSED_CHARACTERS))(
      'refuses %s in a name, naming the question and the character',
      async (_l, { text, codePoint }) => {
        const res = await answer(session.sessionId, { answers: { 'petitioner-name': text } });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          code: 'validation_failed',
          message: 'Some answers need to be fixed.',
          details: [{ field: 'petitioner-name', message: characterMessage(codePoint) }],
        });
        expectNoLeak(res.text);
      },
    );

    it.each(Object.entries(UNPRINTABLE_NAMES))(
      'refuses %s in a name, naming the question and showing the character',
      async (_l, unprintable) => {
        const res = await answer(session.sessionId, {
          answers: { 'petitioner-name': unprintable.name },
        });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          code: 'validation_failed',
          message: 'Some answers need to be fixed.',
          details: [
            { field: 'petitioner-name', message: unprintableMessage(NAME_LABEL, unprintable) },
          ],
        });
        expectNoLeak(res.text);
      },
    );

    it('refuses a lone surrogate sent as the JSON escape', async () => {
      const res = await answerRaw(
        session.sessionId,
        '{"answers":{"petitioner-name":"Ana \\ud800"}}',
      );
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'petitioner-name', message: characterMessage('U+D800') },
      ]);
    });

    it('refuses a 1 MB name by its length, naming the question', async () => {
      const res = await answer(session.sessionId, {
        answers: { 'petitioner-name': 'n'.repeat(1024 * 1024) },
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'petitioner-name', message: `"${NAME_LABEL}" can have at most 200 characters.` },
      ]);
    });

    it('answers 413 to a 10 MB body, saying why', async () => {
      const res = await answer(session.sessionId, {
        answers: { 'petitioner-name': 'n'.repeat(10 * 1024 * 1024) },
      });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        code: 'payload_too_large',
        message: 'Request body too large',
        details: [],
      });
    });

    it.each([
      [['Ana', 'Maria'], `"${NAME_LABEL}" must be written as text.`],
      [{ full: 'Ana' }, `"${NAME_LABEL}" must be written as text.`],
      [42, `"${NAME_LABEL}" must be written as text.`],
    ])('refuses %j where text is expected', async (value, message) => {
      const res = await answer(session.sessionId, { answers: { 'petitioner-name': value } });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'petitioner-name', message }]);
    });

    it('refuses a question that is not on the screen, naming it', async () => {
      const res = await answer(session.sessionId, {
        answers: { 'petitioner-name': 'Ana', orgId: 'x' },
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'orgId', message: '"orgId" is not a question on this screen.' },
      ]);
    });

    it.each([
      ['{"answers":{"__proto__":{"polluted":true}}}', 'answers.__proto__'],
      ['{"answers":{"constructor":{"prototype":{"polluted":true}}}}', 'answers.constructor'],
    ])('refuses %s, naming the key', async (json, field) => {
      const res = await answerRaw(session.sessionId, json);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field, message: `${field} is not an allowed field name` },
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses 10,000 levels of nesting at the depth limit', async () => {
      const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
      const res = await answerRaw(session.sessionId, `{"answers":{"petitioner-name":${deep}}}`);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        {
          field: expect.stringMatching(/^answers\.petitioner-name(\.a)+$/),
          message: 'nesting deeper than 32 levels',
        },
      ]);
    });

    it('refuses orgId and role beside the answers, naming them', async () => {
      const res = await answer(session.sessionId, { answers: {}, orgId: 'x', role: 'admin' });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['orgId', 'role']);
    });

    it.each([
      ['2026-02-30', 'date'],
      ['02/03/2026', 'date'],
      ['2026-13-01', 'date'],
      [new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10), 'future'],
    ])('refuses a date of birth of %s', async (date, kind) => {
      const s = await start();
      await answer(s.sessionId, { answers: { 'petitioner-name': 'Ana' } }).expect(200);
      const res = await answer(s.sessionId, { answers: { 'petitioner-birth-date': date } });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        {
          field: 'petitioner-birth-date',
          message:
            kind === 'date'
              ? '"What is your date of birth?": write a date that exists, like 2024-03-15 (year-month-day).'
              : '"What is your date of birth?" cannot be a date in the future.',
        },
      ]);
    });

    it.each([
      ['/interview/..%2F..%2Fetc%2Fpasswd'],
      ['/interview/%2e%2e'],
      ['/interview/a%0d%0aSet-Cookie:%20pwned=1'],
      ['/interview/%E0%A4%A'],
    ])('GET %s is 404 exactly like an unknown session', async (path) => {
      const unknown = await request(http)
        .get(`/interview/${'A'.repeat(43)}`)
        .expect(404);
      const res = await request(http).get(path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(unknown.body);
      expect(res.headers['set-cookie']).toBeUndefined();
      expectNoLeak(res.text);
    });

    it('finishes into papers that print hostile answers literally', async () => {
      const s = await start();
      const name = LITERAL_NAMES['hebrew with RLM marks'];
      const narrative = `He wrote {{7*7}} and \${7*7} and <w:t>]]> on the wall. ${LITERAL_NAMES.arabic} 12.`;
      await walk(s.sessionId, s.screen, {
        'your-name': { 'petitioner-name': name },
        'incident-story': { 'incident-narrative': narrative },
        signature: { 'signature-name': name },
        'home-address': {
          'home-address': { street: '9 Oak St', city: 'Boston', state: 'MA', postalCode: '02134' },
        },
      });
      const finished = await request(http).post(`/interview/${s.sessionId}/finish`).expect(201);
      const { caseId, packetId } = finished.body as { caseId: string; packetId: string };
      const packets = t.app.get(PacketsService);
      const declaration = await packets.file(caseId, PETITIONER, packetId, '02-declaration.docx');
      expect(docxProblems(declaration.bytes)).toEqual({});
      expect(docxVisibleText(declaration.bytes)).toContain(narrative);
      expect(docxVisibleText(declaration.bytes)).toContain(name);
      const form = await packets.file(
        caseId,
        PETITIONER,
        packetId,
        '03-confidential-information.pdf',
      );
      expect(await pdfFieldValues(form.bytes)).toMatchObject({ petitionerName: name });
    });

    it('finishes into papers that print Korean, Thai and emoji answers', async () => {
      const s = await start();
      const name = LITERAL_NAMES.korean;
      const narrative = `He wrote ${LITERAL_NAMES['emoji skin tone']} and ${LITERAL_NAMES.thai}.`;
      await walk(s.sessionId, s.screen, {
        'your-name': { 'petitioner-name': name },
        'incident-story': { 'incident-narrative': narrative },
        signature: { 'signature-name': name },
      });
      const finished = await request(http).post(`/interview/${s.sessionId}/finish`).expect(201);
      const { caseId, packetId } = finished.body as { caseId: string; packetId: string };
      const packets = t.app.get(PacketsService);
      const declaration = await packets.file(caseId, PETITIONER, packetId, '02-declaration.docx');
      expect(docxVisibleText(declaration.bytes)).toContain(narrative);
      const form = await packets.file(
        caseId,
        PETITIONER,
        packetId,
        '03-confidential-information.pdf',
      );
      expect(await pdfFieldValues(form.bytes)).toMatchObject({ petitionerName: name });
      expect(await pdfText(form.bytes)).toContain(name);
    });

    it('refuses an emoji no font draws on the screen that asks for the narrative', async () => {
      const s = await start();
      const unprintable = UNPRINTABLE_NAMES['emoji newer than the emoji font'];
      let screen = s.screen;
      for (let i = 0; i < 200 && screenKey(screen.position) !== 'incident-story'; i++) {
        const p = screen.position;
        const key = screenKey(p);
        const body =
          p.kind === 'list'
            ? {
                action:
                  (screen.list?.items.length ?? 0) < (LIST_ITEMS[p.sectionId] ?? 0)
                    ? 'add'
                    : 'done',
              }
            : { answers: SCRIPT[key] };
        screen = ((await answer(s.sessionId, body).expect(200)).body as ScreenBody).screen;
      }
      const label = screen.questions.find((q) => q.id === 'incident-narrative')?.label;
      expect(label).toEqual(expect.any(String));
      const res = await answer(s.sessionId, {
        answers: {
          ...SCRIPT['incident-story'],
          'incident-narrative': `He sent me ${unprintable.name}`,
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        {
          field: 'incident-narrative',
          message: unprintableMessage(String(label), unprintable),
        },
      ]);
      expectNoLeak(res.text);
    });
  });

  describe('web pages (form posts)', () => {
    it.each(Object.entries(REFUSED_CHARACTERS).filter(([l]) => l !== 'lone surrogate'))(
      'refuses %s in a name with a page naming the question',
      async (_l, { text, codePoint }) => {
        const b = new FormBrowser(http);
        const first = await b.start();
        const page = await b.submit(formWith(first, 'value="next"'), [
          ['petitioner-name', text],
          ['action', 'next'],
        ]);
        expect(page.status).toBe(400);
        expect(page.html).toContain('id="error-summary"');
        expect(page.html).toContain(characterMessage(codePoint).replace(/"/g, '&quot;'));
        expectNoLeak(page.html);
      },
    );

    it.each(Object.entries(UNPRINTABLE_NAMES))(
      'refuses %s in a name with a page naming the question and the character',
      async (_l, unprintable) => {
        const b = new FormBrowser(http);
        const first = await b.start();
        const page = await b.submit(formWith(first, 'value="next"'), [
          ['petitioner-name', unprintable.name],
          ['action', 'next'],
        ]);
        expect(page.status).toBe(400);
        expect(page.html).toContain('id="error-summary"');
        expect(decodeHtml(page.html)).toContain(unprintableMessage(NAME_LABEL, unprintable));
        expectNoLeak(page.html);
      },
    );

    it('keeps markup and template syntax as text, escaped on every page', async () => {
      const b = new FormBrowser(http);
      const first = await b.start();
      const name = `${LITERAL_NAMES['XML and HTML']} ${LITERAL_NAMES.mustache}`;
      const next = await b.submit(formWith(first, 'value="next"'), [
        ['petitioner-name', name],
        ['action', 'next'],
      ]);
      expect(next.status).toBe(200);
      const back = await b.submit(formWith(next, 'value="back"'), [['action', 'back']]);
      expect(back.html).not.toContain('<script>alert(1)</script>');
      expect(back.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      const form = formWith(back, 'value="next"');
      expect(form.fields).toContainEqual(['petitioner-name', name]);
    });

    it('ignores __proto__ and constructor as form field names without harm', async () => {
      const b = new FormBrowser(http);
      const first = await b.start();
      const form = formWith(first, 'value="next"');
      const page = await b.submit(form, [
        ['__proto__', 'polluted'],
        ['constructor', 'polluted'],
        ['petitioner-name', 'Ana'],
        ['action', 'next'],
      ]);
      expect(page.status).toBe(200);
      expect(page.html).toContain('What is your date of birth?');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each([
      ['600 kB', 600 * 1024],
      ['10 MB', 10 * 1024 * 1024],
    ])('answers a %s form with a 413 page saying it was too much', async (_l, size) => {
      const b = new FormBrowser(http);
      const first = await b.start();
      const form = formWith(first, 'value="next"');
      const fields = new URLSearchParams([
        ...form.fields.filter(([n]) => n !== 'petitioner-name'),
        ['action', 'next'],
      ]).toString();
      const page = await b.postRaw(form.action, `${fields}&petitioner-name=${'n'.repeat(size)}`);
      expect(page.status).toBe(413);
      expect(page.html).toContain('That was too much at once');
      expectNoLeak(page.html);
    });

    it('refuses a 200 kB name, under the form limit, by its length', async () => {
      const b = new FormBrowser(http);
      const first = await b.start();
      const page = await b.submit(formWith(first, 'value="next"'), [
        ['petitioner-name', 'n'.repeat(200 * 1024)],
        ['action', 'next'],
      ]);
      expect(page.status).toBe(400);
      expect(page.html).toContain(`&quot;${NAME_LABEL}&quot; can have at most 200 characters.`);
    });
  });
});
