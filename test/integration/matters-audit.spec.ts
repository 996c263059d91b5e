import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { CaseSharesService } from '../../src/cases/case-shares.service';
import { CasesService } from '../../src/cases/cases.service';
import { TestApp, createTestApp } from '../support/app';
import { TEST_DB_KIND } from '../support/database';
import { fixture } from '../support/fixtures';
import { StaffApi, staffApi } from '../support/staff';

type Row = Pick<AuditEventEntity, 'action' | 'outcome' | 'caseId' | 'subject' | 'actorUserId'>;

/**
 * Each staff action on a case leaves exactly one record, naming the case by id and never
 * holding a value of it.
 */
describe(`audit of staff work on cases (${TEST_DB_KIND})`, () => {
  let t: TestApp;
  let attorney: StaffApi;
  let other: StaffApi;
  let tokenOnly: StaffApi;
  let caseId: string;
  let packetId: string;

  beforeAll(async () => {
    t = await createTestApp();
    attorney = await staffApi(t.app, { role: 'attorney' });
    other = await staffApi(t.app, { role: 'admin' });
    tokenOnly = await staffApi(t.app, {
      role: 'attorney',
      organisationId: attorney.organisationId,
      scopes: ['cases:read', 'packets:download'],
    });
  });

  afterAll(() => t.close());

  async function rows(): Promise<Row[]> {
    return t.app
      .get(DataSource)
      .getRepository(AuditEventEntity)
      .find({
        select: { action: true, outcome: true, caseId: true, subject: true, actorUserId: true },
        order: { seq: 'ASC' },
      });
  }

  /** Runs `act` and answers the records it added. */
  async function recordsOf(act: () => Promise<unknown>): Promise<Row[]> {
    const before = (await rows()).length;
    await act();
    return (await rows()).slice(before);
  }

  it('creating, listing and viewing are one record each', async () => {
    const created = await recordsOf(async () => {
      const res = await attorney
        .post('/cases')
        .send({ packId: 'generic-us', facts: fixture('maximal') })
        .expect(201);
      caseId = (res.body as { id: string }).id;
    });
    expect(created).toEqual([expect.objectContaining({ action: 'case.create', caseId })]);
    expect(created[0]?.actorUserId).toBe(attorney.userId);

    const listed = await recordsOf(() => attorney.get('/cases').expect(200));
    expect(listed).toEqual([
      expect.objectContaining({ action: 'case.list', caseId: null, subject: '1 shown' }),
    ]);

    const viewed = await recordsOf(() => attorney.get(`/cases/${caseId}`).expect(200));
    expect(viewed).toEqual([expect.objectContaining({ action: 'case.view', caseId })]);
  });

  it('hides confidential values unless asked for, and records the asking as its own action', async () => {
    const plain = await attorney.get(`/cases/${caseId}`).expect(200);
    const stored = fixture('maximal') as { petitioner: { safePhone?: string } };
    expect(stored.petitioner.safePhone).toBeDefined();
    expect(JSON.stringify(plain.body)).not.toContain(String(stored.petitioner.safePhone));
    expect(plain.body.hiddenConfidentialFields).toContain('petitioner.safePhone');

    const shown = await recordsOf(async () => {
      const res = await attorney.get(`/cases/${caseId}?confidential=true`).expect(200);
      expect(res.body.facts.petitioner.safePhone).toBe(stored.petitioner.safePhone);
    });
    expect(shown).toEqual([expect.objectContaining({ action: 'case.confidential.view', caseId })]);

    // A token without confidential:read is refused, and the refusal is recorded.
    const refused = await recordsOf(() =>
      tokenOnly.get(`/cases/${caseId}?confidential=true`).expect(403),
    );
    expect(refused).toEqual([
      expect.objectContaining({ action: 'access.denied', outcome: 'denied', caseId }),
    ]);
  });

  it('an edit without the confidential values keeps them; one carrying them must say so', async () => {
    const masked = (await attorney.get(`/cases/${caseId}`).expect(200)).body as {
      facts: { court: { caseNumber?: string } };
    };
    masked.facts.court.caseNumber = '26-PO-7781';
    const updated = await recordsOf(() =>
      attorney.put(`/cases/${caseId}`).send({ facts: masked.facts }).expect(200),
    );
    expect(updated).toEqual([expect.objectContaining({ action: 'case.update', caseId })]);
    const full = await attorney.get(`/cases/${caseId}?confidential=true`).expect(200);
    expect(full.body.facts.court.caseNumber).toBe('26-PO-7781');
    expect(full.body.facts.petitioner.safePhone).toBe(
      (fixture('maximal') as { petitioner: { safePhone: string } }).petitioner.safePhone,
    );

    const refused = await attorney
      .put(`/cases/${caseId}`)
      .send({ facts: full.body.facts })
      .expect(400);
    expect(refused.body.details).toContainEqual(
      expect.objectContaining({ field: 'facts.petitioner.safePhone' }),
    );
  });

  it('generating, viewing and downloading a packet are one record each, naming the file', async () => {
    const generated = await recordsOf(async () => {
      const res = await attorney.post(`/cases/${caseId}/packets`).expect(201);
      packetId = (res.body as { id: string }).id;
    });
    expect(generated).toEqual([
      expect.objectContaining({ action: 'packet.generate', caseId, subject: packetId }),
    ]);
    const packet = (await attorney.get(`/cases/${caseId}/packets/${packetId}`).expect(200))
      .body as { factsSha256: string; links: { files: Record<string, string> } };
    expect(packet.factsSha256).toMatch(/^[0-9a-f]{64}$/);
    const [name, link] = Object.entries(packet.links.files)[0] ?? [];
    const downloaded = await recordsOf(() => attorney.get(String(link)).expect(200));
    expect(downloaded).toEqual([
      expect.objectContaining({ action: 'packet.download', caseId, subject: name }),
    ]);
  });

  it('the matter shows its packets as versions and says when the facts changed since', async () => {
    const masked = (await attorney.get(`/cases/${caseId}`).expect(200)).body as {
      facts: { court: { caseNumber?: string } };
      status: string;
    };
    expect(masked.status).toBe('current');
    masked.facts.court.caseNumber = '26-PO-7782';
    await attorney.put(`/cases/${caseId}`).send({ facts: masked.facts }).expect(200);
    const after = await attorney.get(`/cases/${caseId}`).expect(200);
    expect(after.body.status).toBe('outdated');
    expect(after.body.packets).toEqual([
      expect.objectContaining({ id: packetId, version: 1, factsChangedSince: true }),
    ]);
    // The packet still says what it said when it was made.
    const asFiled = await recordsOf(async () => {
      const res = await attorney.get(`/cases/${caseId}/packets/${packetId}/facts`).expect(200);
      expect(res.body.facts.court.caseNumber).toBe('26-PO-7781');
      expect(res.body.factsSha256).toBe(after.body.packets[0].factsSha256);
      expect(res.body.hiddenConfidentialFields).toContain('petitioner.safePhone');
    });
    expect(asFiled).toEqual([
      expect.objectContaining({ action: 'packet.view', caseId, subject: `${packetId}/facts` }),
    ]);
    const listed = await attorney.get('/cases?status=outdated').expect(200);
    expect((listed.body as { id: string }[]).map((c) => c.id)).toEqual([caseId]);
    const none = await attorney.get('/cases?status=current').expect(200);
    expect(none.body).toEqual([]);
  });

  it("another organisation's attempt is a denial on the record, answered like a missing case", async () => {
    const denied = await recordsOf(async () => {
      const theirs = await other.get(`/cases/${caseId}`).expect(404);
      const missing = await other.get(`/cases/${randomUUID()}`).expect(404);
      expect(theirs.text).toBe(missing.text);
    });
    expect(denied).toEqual([
      expect.objectContaining({ action: 'access.denied', outcome: 'denied', caseId }),
    ]);
  });

  it('accepting and withdrawing a share are on the record of the organisation', async () => {
    const own = await t.app
      .get(CasesService)
      .create({ packId: 'generic-us', facts: fixture('typical') as never });
    const shares = t.app.get(CaseSharesService);
    const { code } = await shares.create(own.id);
    const accepted = await recordsOf(() => other.post('/shares').send({ code }).expect(200));
    expect(accepted).toEqual([
      expect.objectContaining({ action: 'case.share.accept', caseId: own.id }),
    ]);
    const wrong = await recordsOf(() =>
      other.post('/shares').send({ code: 'ZZZZ-ZZZZ-ZZZZ' }).expect(404),
    );
    expect(wrong).toEqual([
      expect.objectContaining({ action: 'case.share.accept', outcome: 'failed', caseId: null }),
    ]);
    await other.get(`/cases/${own.id}`).expect(200);
    expect(await shares.withdraw(own.id)).toBe(1);
    await other.get(`/cases/${own.id}`).expect(404);
  });

  it('deleting is one record, and leaves the earlier records in place', async () => {
    const before = (await rows()).filter((r) => r.caseId === caseId).length;
    const deleted = await recordsOf(() => attorney.delete(`/cases/${caseId}`).expect(204));
    expect(deleted).toEqual([expect.objectContaining({ action: 'case.delete', caseId })]);
    expect((await rows()).filter((r) => r.caseId === caseId).length).toBe(before + 1);
  });

  it('no record holds a value of a case', async () => {
    const text = JSON.stringify(await rows());
    const facts = fixture('maximal') as { petitioner: { name: { full: string } } };
    expect(text).not.toContain(facts.petitioner.name.full);
    expect(text).not.toContain('26-PO-778');
  });

  it('a paralegal may not delete a case', async () => {
    const paralegal = await staffApi(t.app, {
      role: 'paralegal',
      organisationId: attorney.organisationId,
    });
    const res = await paralegal
      .post('/cases')
      .send({ packId: 'generic-us', facts: fixture('minimal') })
      .expect(201);
    await paralegal.delete(`/cases/${(res.body as { id: string }).id}`).expect(403);
  });
});
