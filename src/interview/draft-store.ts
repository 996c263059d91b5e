import { Injectable } from '@nestjs/common';
import type { Language } from './interview-definition';
import type { InterviewState } from './interview-engine';

/** One petitioner's interview in progress: everything needed to show the next screen. */
export interface Draft {
  packId: string;
  language: Language;
  state: InterviewState;
  /** Set once finished: finishing again after a change updates this case instead of a new one. */
  caseId?: string;
  updatedAt: Date;
}

/**
 * Where drafts live. The interview service only knows this interface, so the encrypted store
 * (sealed with a key derived from the petitioner's resume code) replaces the in-memory one
 * without touching the flow.
 */
export interface DraftStore {
  get(id: string): Promise<Draft | undefined>;
  put(id: string, draft: Draft): Promise<void>;
  delete(id: string): Promise<void>;
}

export const DRAFT_STORE = Symbol('DraftStore');

const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_DRAFTS = 10_000;

/**
 * Drafts in process memory: lost on restart, and bounded in age and number so that a stream of
 * abandoned interviews cannot grow the process without limit.
 */
@Injectable()
export class InMemoryDraftStore implements DraftStore {
  private readonly drafts = new Map<string, Draft>();

  constructor(
    private readonly ttlMs: number = THIRTY_DAYS_MS,
    private readonly maxDrafts: number = MAX_DRAFTS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(id: string): Promise<Draft | undefined> {
    const draft = this.drafts.get(id);
    if (!draft) return undefined;
    if (this.now().getTime() - draft.updatedAt.getTime() > this.ttlMs) {
      this.drafts.delete(id);
      return undefined;
    }
    // Copies in and out, like a real store: a caller's later edits never change a saved draft.
    return structuredClone(draft);
  }

  async put(id: string, draft: Draft): Promise<void> {
    this.drafts.delete(id);
    this.drafts.set(id, structuredClone(draft));
    // A Map keeps insertion order and put() re-inserts, so the first key is the least recently saved.
    while (this.drafts.size > this.maxDrafts) {
      const oldest = this.drafts.keys().next().value as string;
      this.drafts.delete(oldest);
    }
  }

  async delete(id: string): Promise<void> {
    this.drafts.delete(id);
  }
}
