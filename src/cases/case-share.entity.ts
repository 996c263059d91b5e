import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseEntity } from './case.entity';

/**
 * A petitioner's act of sharing their case: a code they give their advocate, pending until the
 * advocate's organisation accepts it. Withdrawing deletes the row, and with it the access.
 */
@Entity('case_shares')
@Index('idx_case_shares_case', ['caseId'])
@Index('idx_case_shares_organisation', ['organisationId'])
export class CaseShareEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId!: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  /** SHA-256 of the normalised code: the code itself is never stored. */
  @Index('uq_case_shares_code_hash', { unique: true })
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36, nullable: true })
  organisationId!: string | null;

  @Column({ name: 'accepted_by', type: 'varchar', length: 36, nullable: true })
  acceptedBy!: string | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'expires_at' })
  expiresAt!: Date;

  @Column({ name: 'accepted_at', type: Date, nullable: true })
  acceptedAt!: Date | null;
}
