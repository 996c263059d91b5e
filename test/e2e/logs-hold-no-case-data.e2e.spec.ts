import { JsonLogger } from '../../src/logging/json-logger';
import { TestApp, createTestApp } from '../support/app';
import { binaryParser } from '../support/binary';
import { fixture } from '../support/fixtures';
import { StaffApi, staffApi } from '../support/staff';

/**
 * Safety principle 3: nothing identifying in logs. The whole service runs realistic flows on a
 * case full of sentinel values, with the real JSON logger at its most verbose level and stacks
 * allowed (as outside production), and every line it wrote is searched for every sentinel.
 */
const SENTINELS = [
  'Zelda',
  'Sentinelname',
  '4242 Sentinel Lane',
  'Sentinel Lane',
  'zelda.sentinel@example.org',
  'SENTINELNARRATIVE',
  '(555) 010-4242',
  '010-4242',
];
const PHONE_DIGITS = '5550104242';
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

type Obj = Record<string, unknown>;

function sentinelCase(): Obj {
  const facts = fixture('typical');
  const petitioner = facts.petitioner as Obj;
  petitioner.name = {
    full: 'Zelda Sentinelname',
    given: 'Zelda',
    family: 'Sentinelname',
  };
  (petitioner.residentialAddress as Obj).street = '4242 Sentinel Lane';
  petitioner.safePhone = '(555) 010-4242';
  petitioner.safeEmail = 'zelda.sentinel@example.org';
  const incident = (facts.incidents as Obj[])[0] as Obj;
  // Not the residence: that is confidential, and the release check would rightly block the packet.
  incident.narrative = `SENTINELNARRATIVE: Zelda Sentinelname was hurt. ${String(incident.narrative)}`;
  return facts;
}

describe('logs hold no case data', () => {
  const lines: string[] = [];
  let t: TestApp;
  let api: StaffApi;
  let caseId: string;

  beforeAll(async () => {
    const logger = new JsonLogger('debug', { sink: (l) => lines.push(l), production: false });
    t = await createTestApp({}, { logger });
    api = await staffApi(t.app);

    const created = await api
      .post('/cases')
      .send({ packId: 'generic-us', facts: sentinelCase() })
      .expect(201);
    caseId = (created.body as { id: string }).id;

    const bad = sentinelCase();
    ((bad.incidents as Obj[])[0] as Obj).date = '2026-02-30';
    await api.put(`/cases/${caseId}`).send({ facts: bad }).expect(400);
    // Sentinels in a query string and in an id-shaped path segment, which no log may repeat.
    await api.get(`/cases?q=Zelda%20Sentinelname&court=5550104242`).expect(200);
    await api.get(`/cases/${caseId}?confidential=true`).expect(200);

    const generated = await api.post(`/cases/${caseId}/packets`).expect(201);
    const packet = generated.body as {
      id: string;
      links: { merged: string | null; archive: string };
      documents: { files: { name: string }[] }[];
    };
    const firstFile = packet.documents[0]?.files[0]?.name;
    if (!firstFile) throw new Error('the packet has no files');
    await api
      .get(`/cases/${caseId}/packets/${packet.id}/files/${firstFile}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    if (packet.links.merged) {
      await api.get(packet.links.merged).buffer(true).parse(binaryParser).expect(200);
    }
    await api.get(packet.links.archive).buffer(true).parse(binaryParser).expect(200);

    await api.get(`/cases/${MISSING_ID}`).expect(404);
    await api.get('/cases/Zelda-Sentinelname').expect(404);
    await api.get(`/cases/${MISSING_ID}/packets/${packet.id}/packet.zip`).expect(404);
    await api.delete(`/cases/${caseId}`).expect(204);
    await api.get(`/cases/${caseId}`).expect(404);
  });

  afterAll(() => t.close());

  function requestLines(): Obj[] {
    return lines
      .map((l) => JSON.parse(l) as Obj)
      .filter((l) => l.context === 'Http' && l.msg === 'request');
  }

  it('captured log lines, each one JSON object, so the search below can fail', () => {
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    // The flows were logged: the packet service and every request, with its status.
    expect(lines.some((l) => l.includes('packet generated'))).toBe(true);
    expect(requestLines().map((l) => [l.method, l.route, l.status])).toEqual(
      expect.arrayContaining([
        ['POST', '/cases', 201],
        ['PUT', '/cases/:id', 400],
        ['GET', '/cases/:id', 200],
        ['POST', '/cases/:caseId/packets', 201],
        ['GET', '/cases/:caseId/packets/:packetId/files/:name', 200],
        ['GET', '/cases/:caseId/packets/:packetId/packet.zip', 200],
        ['GET', '/cases/:id', 404],
        ['DELETE', '/cases/:id', 204],
      ]),
    );
  });

  it.each(SENTINELS)('no line contains %s (any case)', (sentinel) => {
    const offending = lines.filter((l) => l.toLowerCase().includes(sentinel.toLowerCase()));
    expect(offending).toEqual([]);
  });

  it('no line contains the phone number, even as bare digits', () => {
    expect(lines.filter((l) => l.includes(PHONE_DIGITS))).toEqual([]);
    expect(lines.filter((l) => l.replace(/\D/g, '').includes(PHONE_DIGITS))).toEqual([]);
  });

  it('no line contains the case id or a query string', () => {
    expect(lines.filter((l) => l.includes(caseId))).toEqual([]);
    expect(requestLines().filter((l) => String(l.route).includes('?'))).toEqual([]);
  });
});
