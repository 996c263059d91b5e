import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { DraftKeys, openDraft, sealDraft } from './draft-crypto';
import type { Clock } from '../common/clock';
import { INTERVIEW_CLOCK } from './interview-clock';
import type { Language } from './interview-definition';
import type { InterviewState } from './interview-engine';
import { InterviewDraftEntity } from './interview-draft.entity';
import { InterviewDraftsRepository } from './interview-drafts.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One petitioner's interview in progress: everything needed to show the next screen, and what
 * it has produced. All of it is sealed; only the resume code's key opens it.
 */
export interface Draft {
  packId: string;
  language: Language;
  state: InterviewState;
  /** Set once finished: finishing again after a change updates this case instead of a new one. */
  caseId?: string;
  /** The latest packet made from the answers. */
  packetId?: string;
  /** True when answers changed after the latest packet was made. */
  changedSincePacket?: boolean;
}

/** What a session holds to reach its draft: the row, and the locator and key that match it. */
export interface DraftRef {
  draftId: string;
  locator: string;
  key: Buffer;
  kdf: string;
}

/**
 * Drafts in the database, each sealed with AES-256-GCM under the key derived from its code and
 * bound to its locator. A draft past its expiry is treated as absent at once, whether or not
 * the retention purge has removed the row yet.
 */
@Injectable()
export class DraftStore {
  constructor(
    private readonly rows: InterviewDraftsRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(INTERVIEW_CLOCK) private readonly clock: Clock,
  ) {}

  /** Stores a new draft under the code's locator; returns the reference a session keeps. */
  async create(keys: DraftKeys, draft: Draft): Promise<DraftRef> {
    const now = new Date(this.clock());
    const id = randomUUID();
    const sealed = sealDraft(keys.key, keys.locator, keys.kdf, serialize(draft));
    await this.rows.insert({
      id,
      locator: keys.locator,
      kdf: keys.kdf,
      ...sealed,
      createdAt: now,
      updatedAt: now,
      expiresAt: this.expiryFrom(now),
    });
    return { draftId: id, locator: keys.locator, key: keys.key, kdf: keys.kdf };
  }

  /** The draft a code opens, or undefined: no such locator, expired, or not openable. */
  async openByCode(keys: DraftKeys): Promise<{ ref: DraftRef; draft: Draft } | undefined> {
    const row = await this.rows.findByLocator(keys.locator);
    if (!row) return undefined;
    const ref = { draftId: row.id, locator: keys.locator, key: keys.key, kdf: keys.kdf };
    const draft = this.decrypt(row, ref);
    return draft && { ref, draft };
  }

  async read(ref: DraftRef): Promise<Draft | undefined> {
    const row = await this.rows.findById(ref.draftId);
    return row ? this.decrypt(row, ref) : undefined;
  }

  /** Seals and saves the draft, renewing its expiry. False when the row is gone. */
  async write(ref: DraftRef, draft: Draft): Promise<boolean> {
    const now = new Date(this.clock());
    const sealed = sealDraft(ref.key, ref.locator, ref.kdf, serialize(draft));
    return this.rows.update(ref.draftId, ref.locator, {
      ...sealed,
      updatedAt: now,
      expiresAt: this.expiryFrom(now),
    });
  }

  async delete(draftId: string): Promise<void> {
    await this.rows.delete(draftId);
  }

  private decrypt(row: InterviewDraftEntity, ref: DraftRef): Draft | undefined {
    if (row.locator !== ref.locator || row.kdf !== ref.kdf) return undefined;
    if (new Date(row.expiresAt).getTime() <= this.clock()) return undefined;
    const plain = openDraft(ref.key, ref.locator, ref.kdf, row);
    return plain && (JSON.parse(plain.toString('utf8')) as Draft);
  }

  private expiryFrom(now: Date): Date {
    return new Date(now.getTime() + this.config.INTERVIEW_DRAFT_DAYS * DAY_MS);
  }
}

function serialize(draft: Draft): Buffer {
  return Buffer.from(JSON.stringify(draft), 'utf8');
}
