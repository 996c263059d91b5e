import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt, randomUUID } from 'node:crypto';
import { IsNull, LessThan, Repository } from 'typeorm';
import { sha256 } from '../common/sha256';
import { CaseShareEntity } from './case-share.entity';

/** Crockford's base 32: no I, L, O or U, so a code read aloud over the phone is not misheard. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;
/** Long enough to reach an advocate, short enough that a forgotten code stops mattering. */
export const SHARE_CODE_DAYS = 7;

export interface ShareStatus {
  /** Pending codes not yet used, and organisations that accepted one. */
  pending: number;
  acceptedBy: string[];
}

/**
 * A petitioner shares their case with an organisation by giving its advocate a code; the code is
 * 60 random bits, stored only as a hash, used once and expiring. Withdrawing removes every share
 * of the case at once, pending or accepted.
 */
@Injectable()
export class CaseSharesService {
  constructor(
    @InjectRepository(CaseShareEntity) private readonly repo: Repository<CaseShareEntity>,
  ) {}

  /** A new code for the case, as the petitioner will read it: `XXXX-XXXX-XXXX`. */
  async create(caseId: string, now = new Date()): Promise<{ code: string; expiresAt: Date }> {
    const raw = Array.from(
      { length: CODE_LENGTH },
      () => ALPHABET[randomInt(ALPHABET.length)],
    ).join('');
    const expiresAt = new Date(now.getTime() + SHARE_CODE_DAYS * 86_400_000);
    await this.repo.insert({
      id: randomUUID(),
      caseId,
      codeHash: sha256(Buffer.from(raw, 'utf8')),
      organisationId: null,
      acceptedBy: null,
      createdAt: now,
      expiresAt,
      acceptedAt: null,
    });
    return { code: raw.match(/.{4}/g)?.join('-') ?? raw, expiresAt };
  }

  /**
   * Uses a code: the case becomes visible to the organisation. Null for a code that is unknown,
   * used or expired, all alike.
   */
  async accept(
    code: string,
    organisationId: string,
    userId: string,
    now = new Date(),
  ): Promise<string | null> {
    const normalised = normaliseShareCode(code);
    if (normalised === null) return null;
    const codeHash = sha256(Buffer.from(normalised, 'utf8'));
    const share = await this.repo.findOneBy({ codeHash, acceptedAt: IsNull() });
    if (!share || share.expiresAt.getTime() <= now.getTime()) return null;
    // Conditional on still being unused, so two advocates racing with one code cannot both win.
    const result = await this.repo.update(
      { id: share.id, acceptedAt: IsNull() },
      { organisationId, acceptedBy: userId, acceptedAt: now },
    );
    return (result.affected ?? 0) > 0 ? share.caseId : null;
  }

  async status(caseId: string, now = new Date()): Promise<ShareStatus> {
    const rows = await this.repo.findBy({ caseId });
    return {
      pending: rows.filter((r) => r.acceptedAt === null && r.expiresAt.getTime() > now.getTime())
        .length,
      acceptedBy: rows.flatMap((r) => (r.organisationId ? [r.organisationId] : [])),
    };
  }

  /** Ends every share of the case; organisations that had it answer not-found from now on. */
  async withdraw(caseId: string): Promise<number> {
    const result = await this.repo.delete({ caseId });
    return result.affected ?? 0;
  }

  /** Codes that expired unused, for the retention sweep. */
  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.repo.delete({ acceptedAt: IsNull(), expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}

/** Any case, spaces and dashes; O read as 0 and I or L as 1. Null when it cannot be a code. */
export function normaliseShareCode(input: string): string | null {
  const compact = input
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (compact.length !== CODE_LENGTH) return null;
  return [...compact].every((c) => ALPHABET.includes(c)) ? compact : null;
}
