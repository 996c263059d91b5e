import { Draft, InMemoryDraftStore } from './draft-store';

function draft(name: string, updatedAt: Date): Draft {
  return {
    packId: 'generic-us',
    language: 'es',
    state: {
      answers: { petitioner: { name: { full: name } } },
      position: { kind: 'review' },
      history: [],
      finishedLists: [],
      returnToReview: false,
    },
    updatedAt,
  };
}

describe('in-memory draft store', () => {
  const t0 = new Date('2026-11-01T00:00:00Z');

  it('keeps a copy, so later edits by a caller never reach the saved draft', async () => {
    const store = new InMemoryDraftStore();
    const d = draft('Ana', t0);
    await store.put('a', d);
    d.state.answers.petitioner = {};
    const read = await store.get('a');
    expect(read?.state.answers).toEqual({ petitioner: { name: { full: 'Ana' } } });
  });

  it('forgets a draft idle for longer than its lifetime', async () => {
    let now = t0;
    const store = new InMemoryDraftStore(1000, 10, () => now);
    await store.put('a', draft('Ana', t0));
    now = new Date(t0.getTime() + 1001);
    expect(await store.get('a')).toBeUndefined();
  });

  it('drops the least recently saved drafts beyond its capacity', async () => {
    const store = new InMemoryDraftStore(60_000, 2, () => t0);
    await store.put('a', draft('A', t0));
    await store.put('b', draft('B', t0));
    await store.put('a', draft('A2', t0));
    await store.put('c', draft('C', t0));
    expect(await store.get('b')).toBeUndefined();
    expect((await store.get('a'))?.state.answers).toEqual({ petitioner: { name: { full: 'A2' } } });
  });

  it('deletes at once', async () => {
    const store = new InMemoryDraftStore();
    await store.put('a', draft('Ana', t0));
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });
});
