import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { App } from 'supertest/types';
import type { ScreenView } from '../../src/interview/interview-engine';
import { TestApp, createTestApp } from '../support/app';
import { binaryParser } from '../support/binary';
import { screenKey } from '../support/interview-driver';
import { LIST_ITEMS, SCRIPT } from '../support/interview-script';
import { pdfText } from '../support/pdf-reading';
import { StaffApi, staffApi } from '../support/staff';

const NAME = 'Ana Lucía Torres';

interface ScreenBody {
  sessionId: string;
  language: string;
  packId: string;
  screen: ScreenView;
  caseId?: string;
  packetOutdated?: boolean;
}

interface StartedBody extends ScreenBody {
  resumeCode: string;
}

interface FinishedBody {
  caseId: string;
  packetId: string;
  links: { download: string; case: string; packets: string };
}

/** pdftotext lays text out in columns and lines: compare with runs of space made one. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('guided interview over the JSON API', () => {
  let t: TestApp;
  let http: App;
  let api: StaffApi;

  beforeAll(async () => {
    t = await createTestApp();
    http = t.app.getHttpServer() as App;
    api = await staffApi(t.app);
  });

  afterAll(() => t.close());

  async function post<T = ScreenBody>(path: string, body: object = {}, status = 200): Promise<T> {
    const res = await request(http)
      .post(path)
      .send(body)
      .expect(status)
      .expect('Cache-Control', 'no-store');
    return res.body as T;
  }

  async function start(language: string): Promise<StartedBody> {
    return post<StartedBody>('/interview', { packId: 'generic-us', language }, 201);
  }

  /** Answers each screen from the script until the review; returns the screens seen. */
  async function answerAll(sessionId: string, first: ScreenView): Promise<string[]> {
    const seen: string[] = [];
    let screen = first;
    for (let i = 0; i < 200 && screen.position.kind !== 'review'; i++) {
      const key = screenKey(screen.position);
      seen.push(key);
      const p = screen.position;
      const body =
        p.kind === 'list'
          ? {
              action:
                (screen.list?.items.length ?? 0) < (LIST_ITEMS[p.sectionId] ?? 0) ? 'add' : 'done',
            }
          : { answers: SCRIPT[key] ?? {} };
      screen = (await post(`/interview/${sessionId}/answers`, body)).screen;
    }
    return seen;
  }

  async function download(sessionId: string): Promise<request.Response> {
    return request(http)
      .get(`/interview/${sessionId}/packet`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200)
      .expect('Content-Type', 'application/pdf')
      .expect('Content-Disposition', 'attachment; filename="court-forms.pdf"')
      .expect('Cache-Control', 'no-store');
  }

  describe('from start to packet, on another device, after a change, and erased', () => {
    let started: StartedBody;
    let finished: FinishedBody;
    let resumedId: string;

    it('starts in Spanish with a session and an eight-word code, and refuses a wrong answer', async () => {
      started = await start('es');
      expect(started.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(started.resumeCode).toMatch(/^[a-z]+( [a-z]+){7}$/);
      expect(started).toMatchObject({ language: 'es', packId: 'generic-us' });
      expect(started.caseId).toBeUndefined();
      expect(started.screen.title).toBe('Su nombre');
      expect(started.screen.questions[0]).toMatchObject({
        id: 'petitioner-name',
        label: '¿Cuál es su nombre completo?',
        required: true,
      });

      const refused = await request(http)
        .post(`/interview/${started.sessionId}/answers`)
        .send({ answers: { 'petitioner-name': '' } })
        .expect(400)
        .expect('Cache-Control', 'no-store');
      expect(refused.body).toEqual({
        code: 'validation_failed',
        message: 'Hay respuestas que se deben corregir.',
        details: [
          {
            field: 'petitioner-name',
            message: 'Por favor conteste «¿Cuál es su nombre completo?».',
          },
        ],
      });
      // Nothing to download before the interview is finished.
      await request(http).get(`/interview/${started.sessionId}/packet`).expect(404);
    });

    it('reaches the review and finishes into a case and a packet', async () => {
      const seen = await answerAll(started.sessionId, started.screen);
      expect(seen).toEqual(
        expect.arrayContaining(['list:incidents', 'incident-story', 'signature']),
      );
      const review = await request(http)
        .get(`/interview/${started.sessionId}/review`)
        .expect(200)
        .expect('Cache-Control', 'no-store');
      expect(review.body.canFinish).toBe(true);
      expect(review.body.entries).toContainEqual(
        expect.objectContaining({ label: '¿Cuál es su nombre completo?', value: NAME }),
      );

      finished = await post<FinishedBody>(`/interview/${started.sessionId}/finish`, {}, 201);
      expect(finished.links.download).toBe(`/interview/${started.sessionId}/packet`);
      // No organisation sees the petitioner's case until they share it with a code.
      await api.get(`/cases/${finished.caseId}`).expect(404);
      const share = await post<{ code: string }>(`/interview/${started.sessionId}/share`, {}, 201);
      expect(share.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      const accepted = await api
        .post('/shares')
        .send({ code: share.code.toLowerCase() })
        .expect(200);
      expect(accepted.body).toEqual({ caseId: finished.caseId });
      const stored = await api.get(`/cases/${finished.caseId}`).expect(200);
      expect(stored.body.facts.petitioner.name.full).toBe(NAME);
      expect(stored.body.sharedByPetitioner).toBe(true);
      // A code works once.
      await api.post('/shares').send({ code: share.code }).expect(404);
      const current = await request(http).get(`/interview/${started.sessionId}`).expect(200);
      expect(current.body).toMatchObject({ caseId: finished.caseId, packetOutdated: false });
    });

    it("downloads the petitioner's copy: the filing with their name, then the next steps", async () => {
      const res = await download(started.sessionId);
      const text = flat(await pdfText(res.body as Buffer));
      expect(text).toContain(NAME);
      expect(text).toContain('Luis Ramos');
      expect(text).toContain('There is no fee to ask for a protective order.');
      expect(text.indexOf('Breaking a protective order is a crime.')).toBeGreaterThan(
        text.indexOf('PETITION FOR PROTECTIVE ORDER'),
      );
      expect(text.indexOf('PETITION FOR PROTECTIVE ORDER')).toBeGreaterThanOrEqual(0);
    });

    it('opens on another device with the code, typed any which way', async () => {
      const typed = started.resumeCode
        .split(' ')
        .map((w, i) => (i % 2 ? w.toUpperCase() : w.slice(0, Math.max(4, w.length - 1))))
        .join('-\n');
      const res = await request(http)
        .post('/interview/resume')
        .send({ code: typed })
        .expect(200)
        .expect('Cache-Control', 'no-store');
      const resumed = res.body as ScreenBody;
      resumedId = resumed.sessionId;
      expect(resumedId).not.toBe(started.sessionId);
      expect(resumed).toMatchObject({
        language: 'es',
        packId: 'generic-us',
        caseId: finished.caseId,
        screen: { position: { kind: 'review' } },
      });
      expect(res.body.resumeCode).toBeUndefined();
    });

    it('changes an answer after finishing, and finishing again makes a new packet of the same case', async () => {
      const review = await request(http).get(`/interview/${resumedId}/review`).expect(200);
      const entry = (review.body.entries as { questionId: string; change: object }[]).find(
        (e) => e.questionId === 'respondent-name',
      );
      const edit = await post(`/interview/${resumedId}/change`, entry?.change ?? {});
      expect(edit.screen.questions[0].value).toBe('Luis Ramos');
      const back = await post(`/interview/${resumedId}/answers`, {
        answers: { 'respondent-name': 'Luis Alberto Ramos' },
      });
      expect(back.screen.position).toEqual({ kind: 'review' });
      expect(back.packetOutdated).toBe(true);

      const again = await post<FinishedBody>(`/interview/${resumedId}/finish`, {}, 201);
      expect(again.caseId).toBe(finished.caseId);
      expect(again.packetId).not.toBe(finished.packetId);
      const text = flat(await pdfText((await download(resumedId)).body as Buffer));
      expect(text).toContain('Luis Alberto Ramos');
      // The first device's session sees the same draft and the new packet.
      const first = await request(http).get(`/interview/${started.sessionId}`).expect(200);
      expect(first.body.packetOutdated).toBe(false);
      const packets = await api.get(`/cases/${finished.caseId}/packets`).expect(200);
      expect((packets.body as { id: string }[]).map((p) => p.id)).toEqual(
        expect.arrayContaining([finished.packetId, again.packetId]),
      );
    });

    it('withdraws the share: the organisation no longer finds the case', async () => {
      const before = await request(http).get(`/interview/${resumedId}/share`).expect(200);
      expect(before.body).toEqual({ canShare: true, pendingCodes: 0, sharedWith: 1 });
      await post(`/interview/${resumedId}/share`, {}, 201);
      await request(http).delete(`/interview/${resumedId}/share`).expect(204);
      const after = await request(http).get(`/interview/${resumedId}/share`).expect(200);
      expect(after.body).toEqual({ canShare: true, pendingCodes: 0, sharedWith: 0 });
      const missing = await api.get(`/cases/${finished.caseId}`).expect(404);
      const never = await api.get(`/cases/${randomUUID()}`).expect(404);
      expect(missing.body).toEqual(never.body);
    });

    it('erases everything: the case, its files, the draft and every session on it', async () => {
      const caseDir = join(t.env.config.artifactsDir, finished.caseId);
      expect(readdirSync(caseDir).length).toBeGreaterThan(0);
      await request(http)
        .delete(`/interview/${resumedId}`)
        .expect(204)
        .expect('Cache-Control', 'no-store');
      await api.get(`/cases/${finished.caseId}`).expect(404);
      await api.get(`/cases/${finished.caseId}/packets`).expect(404);
      expect(existsSync(caseDir)).toBe(false);
      const files = existsSync(t.env.config.artifactsDir)
        ? readdirSync(t.env.config.artifactsDir, { recursive: true }).map(String)
        : [];
      expect(files.filter((f) => f.includes(finished.caseId))).toEqual([]);
      const again = await request(http)
        .post('/interview/resume')
        .send({ code: started.resumeCode })
        .expect(400);
      expect(again.body.code).toBe('resume_code_invalid');
      await request(http).get(`/interview/${resumedId}`).expect(404);
      await request(http).get(`/interview/${started.sessionId}`).expect(404);
    });
  });

  it('goes back, switches language keeping the answers, and changes an answer from the review', async () => {
    const { sessionId } = await start('en');
    const next = await post(`/interview/${sessionId}/answers`, { answers: SCRIPT['your-name'] });
    expect(next.screen.title).toBe('Your age');
    const back = await post(`/interview/${sessionId}/back`);
    expect(back.screen.questions[0].value).toBe(NAME);

    const spanish = await post(`/interview/${sessionId}/language`, { language: 'es' });
    expect(spanish.language).toBe('es');
    expect(spanish.screen.questions[0]).toMatchObject({
      label: '¿Cuál es su nombre completo?',
      value: NAME,
    });

    await answerAll(sessionId, spanish.screen);
    const review = await request(http).get(`/interview/${sessionId}/review`).expect(200);
    const entry = (review.body.entries as { questionId: string; change: object }[]).find(
      (e) => e.questionId === 'respondent-name',
    );
    const edit = await post(`/interview/${sessionId}/change`, entry?.change ?? {});
    expect(edit.screen.questions[0].value).toBe('Luis Ramos');
    const back2 = await post(`/interview/${sessionId}/answers`, {
      answers: { 'respondent-name': 'Luis Alberto Ramos' },
    });
    expect(back2.screen.position).toEqual({ kind: 'review' });
    // Not finished yet: nothing says a packet is out of date.
    expect(back2.caseId).toBeUndefined();
    expect(back2.packetOutdated).toBeUndefined();
  });

  it('answers the same not-found for unknown and malformed sessions, and refuses an unknown pack', async () => {
    const unknown = await request(http)
      .get(`/interview/${'A'.repeat(43)}`)
      .expect(404)
      .expect('Cache-Control', 'no-store');
    const odd = await request(http).get('/interview/..%2Fetc').expect(404);
    expect(odd.body).toEqual(unknown.body);
    const packet = await request(http)
      .get(`/interview/${'A'.repeat(43)}/packet`)
      .expect(404);
    expect(packet.body).toEqual(unknown.body);
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

  it('will not finish, or share, before every shown question is answered', async () => {
    const { sessionId } = await start('es');
    const share = await request(http).post(`/interview/${sessionId}/share`).expect(400);
    expect(share.body.details).toEqual([
      { field: 'share', message: expect.stringContaining('Primero') },
    ]);
    const res = await request(http).post(`/interview/${sessionId}/finish`).expect(400);
    expect(res.body).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'screen', position: { kind: 'screen', screenId: 'your-name' } }],
    });
    expect(res.body.message).toContain('Su nombre');
  });
});
