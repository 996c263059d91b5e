import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One petitioner's interview in progress, sealed with a key derived from their resume code.
 * Nothing in clear says whose it is, which pack or court it is for, or how far it got: the
 * locator is a hash of half the derived key, the rest is ciphertext and dates.
 */
@Entity('interview_drafts')
@Index('uq_interview_drafts_locator', ['locator'], { unique: true })
@Index('idx_interview_drafts_expires', ['expiresAt'])
export class InterviewDraftEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Hex SHA-256 of the first half of the code's scrypt output: how a resume finds the row. */
  @Column({ type: 'varchar', length: 64 })
  locator!: string;

  /** The key derivation and its parameters, e.g. `scrypt:15:8:1`. */
  @Column({ type: 'varchar', length: 32 })
  kdf!: string;

  /** base64 of the AES-256-GCM nonce. */
  @Column({ type: 'varchar', length: 24 })
  nonce!: string;

  /** base64 of the encrypted draft followed by its authentication tag. */
  @Column({ type: 'text' })
  ciphertext!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;

  /** updated_at + INTERVIEW_DRAFT_DAYS: unreadable from then on, and purged. */
  @Column({ name: 'expires_at' })
  expiresAt!: Date;
}
