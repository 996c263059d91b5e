import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThanOrEqual, Repository } from 'typeorm';
import { InterviewDraftEntity } from './interview-draft.entity';

/** The only place that queries the interview_drafts table. */
@Injectable()
export class InterviewDraftsRepository {
  constructor(
    @InjectRepository(InterviewDraftEntity) private readonly repo: Repository<InterviewDraftEntity>,
  ) {}

  async insert(row: InterviewDraftEntity): Promise<void> {
    await this.repo.insert(row);
  }

  findByLocator(locator: string): Promise<InterviewDraftEntity | null> {
    return this.repo.findOneBy({ locator });
  }

  findById(id: string): Promise<InterviewDraftEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** False when the row is gone (erased or purged) or no longer under this locator. */
  async update(
    id: string,
    locator: string,
    values: Pick<InterviewDraftEntity, 'nonce' | 'ciphertext' | 'updatedAt' | 'expiresAt'>,
  ): Promise<boolean> {
    const result = await this.repo.update({ id, locator }, values);
    return (result.affected ?? 0) > 0;
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  /** Deletes every draft whose expiry has passed at `now`; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.repo.delete({ expiresAt: LessThanOrEqual(now) });
    return result.affected ?? 0;
  }
}
