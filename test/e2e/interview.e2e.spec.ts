import PizZip from 'pizzip';
import request from 'supertest';
import { App } from 'supertest/types';
import type { ScreenView } from '../../src/interview/interview-engine';
import { TestApp, createTestApp } from '../support/app';
import { binaryParser } from '../support/binary';
import { LIST_ITEMS, SCRIPT } from '../support/interview-script';

interface ScreenBody {
  draftId: string;
  language: string;
  screen: ScreenView;
}

function screenKey(screen: ScreenView): string {
  const p = screen.position;
  return p.kind === 'screen' || p.kind === 'item'
    ? p.screenId
    : p.kind === 'list'
      ? `list:${p.sectionId}`
      : 'review';
}

describe('guided interview over the JSON API', () => {
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp();
    http = t.app.getHttpServer() as App;
  });

  afterAll(() => t.close());

  async function post(path: string, body: object = {}, status = 200): Promise<ScreenBody> {
    const res = await request(http)
      .post(path)
      .send(body)
      .expect(status)
      .expect('Cache-Control', 'no-store');
    return res.body as ScreenBody;
  }

  /** Answers each screen from the script until the review; returns the screens seen. */
  async function answerAll(draftId: string, first: ScreenView): Promise<string[]> {
    const seen: string[] = [];
    let screen = first;
    for (let i = 0; i < 200 && screen.position.kind !== 'review'; i++) {
      const key = screenKey(screen);
      seen.push(key);
      const p = screen.position;
      const body =
        p.kind === 'list'
          ? { action: (screen.list?.items.length ?? 0) < LIST_ITEMS[p.sectionId] ? 'add' : 'done' }
          : { answers: SCRIPT[key] };
      screen = (await post(`/interview/${draftId}/answers`, body)).screen;
    }
    return seen;
  }

  it('takes a petitioner through the interview in Spanish to a packet that names them', async () => {
    const started = await post('/interview', { packId: 'generic-us', language: 'es' }, 201);
    const { draftId } = started;
    expect(draftId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.screen.title).toBe('Su nombre');
    expect(started.screen.questions[0]).toMatchObject({
      id: 'petitioner-name',
      label: '¿Cuál es su nombre completo?',
      required: true,
    });

    // A wrong answer is refused in Spanish, naming the question, and keeps the screen.
    const refused = await request(http)
      .post(`/interview/${draftId}/answers`)
      .send({ answers: { 'petitioner-name': '' } })
      .expect(400)
      .expect('Cache-Control', 'no-store');
    expect(refused.body).toEqual({
      code: 'validation_failed',
      message: 'Hay respuestas que se deben corregir.',
      details: [
        { field: 'petitioner-name', message: 'Por favor conteste «¿Cuál es su nombre completo?».' },
      ],
    });

    const seen = await answerAll(draftId, started.screen);
    expect(seen).toEqual(expect.arrayContaining(['list:incidents', 'incident-story', 'signature']));

    const current = await request(http).get(`/interview/${draftId}`).expect(200);
    expect(current.body.screen.position).toEqual({ kind: 'review' });
    expect(current.headers['cache-control']).toBe('no-store');

    const review = await request(http)
      .get(`/interview/${draftId}/review`)
      .expect(200)
      .expect('Cache-Control', 'no-store');
    expect(review.body.canFinish).toBe(true);
    expect(review.body.entries).toContainEqual(
      expect.objectContaining({ label: '¿Cuál es su nombre completo?', value: 'Ana Lucía Torres' }),
    );

    const finished = await request(http).post(`/interview/${draftId}/finish`).expect(201);
    const caseId = (finished.body as { caseId: string }).caseId;
    const stored = await request(http).get(`/cases/${caseId}`).expect(200);
    expect(stored.body.facts.petitioner.name.full).toBe('Ana Lucía Torres');

    const packet = await request(http).post(`/cases/${caseId}/packets`).expect(201);
    const docx = await request(http)
      .get(`/cases/${caseId}/packets/${packet.body.id as string}/files/01-petition.docx`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const xml = new PizZip(docx.body as Buffer).file('word/document.xml')?.asText() ?? '';
    expect(xml).toContain('Ana Lucía Torres');
    expect(xml).toContain('Luis Ramos');
  });

  it('goes back, switches language keeping the answers, and changes an answer from the review', async () => {
    const { draftId } = await post('/interview', { packId: 'generic-us', language: 'en' }, 201);
    const next = await post(`/interview/${draftId}/answers`, { answers: SCRIPT['your-name'] });
    expect(next.screen.title).toBe('Your age');
    const back = await post(`/interview/${draftId}/back`);
    expect(back.screen.questions[0].value).toBe('Ana Lucía Torres');

    const spanish = await post(`/interview/${draftId}/language`, { language: 'es' });
    expect(spanish.language).toBe('es');
    expect(spanish.screen.questions[0]).toMatchObject({
      label: '¿Cuál es su nombre completo?',
      value: 'Ana Lucía Torres',
    });

    await answerAll(draftId, spanish.screen);
    const review = await request(http).get(`/interview/${draftId}/review`).expect(200);
    const entry = (review.body.entries as { questionId: string; change: object }[]).find(
      (e) => e.questionId === 'respondent-name',
    );
    const edit = await post(`/interview/${draftId}/change`, entry?.change ?? {});
    expect(edit.screen.questions[0].value).toBe('Luis Ramos');
    const back2 = await post(`/interview/${draftId}/answers`, {
      answers: { 'respondent-name': 'Luis Alberto Ramos' },
    });
    expect(back2.screen.position).toEqual({ kind: 'review' });
  });

  it('answers the same not-found for unknown and malformed drafts, and refuses an unknown pack', async () => {
    const unknown = await request(http)
      .get(`/interview/${'A'.repeat(43)}`)
      .expect(404)
      .expect('Cache-Control', 'no-store');
    const odd = await request(http).get('/interview/..%2Fetc').expect(404);
    expect(odd.body).toEqual(unknown.body);
    const pack = await request(http)
      .post('/interview')
      .send({ packId: 'no-such-pack', language: 'es' })
      .expect(400);
    expect(pack.body.code).toBe('pack_not_found');
    await request(http)
      .post('/interview')
      .send({ packId: 'generic-us', language: 'fr' })
      .expect(400);
  });

  it('will not finish before every shown question is answered', async () => {
    const { draftId } = await post('/interview', { packId: 'generic-us', language: 'es' }, 201);
    const res = await request(http).post(`/interview/${draftId}/finish`).expect(400);
    expect(res.body).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'screen', position: { kind: 'screen', screenId: 'your-name' } }],
    });
    expect(res.body.message).toContain('Su nombre');
  });
});
