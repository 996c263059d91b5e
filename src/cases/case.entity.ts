import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('cases')
@Index('idx_cases_organisation', ['organisationId', 'updatedAt'])
export class CaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'pack_id', type: 'varchar', length: 64 })
  packId!: string;

  /**
   * The validated CaseFacts as JSON, encrypted: base64 of the envelope made with the case's data
   * key (see src/crypto/envelope.ts). `CasesService.require` hands out a copy holding the JSON.
   */
  @Column({ type: 'text' })
  facts!: string;

  /**
   * The organisation whose staff made the case. Null for a case the petitioner made through the
   * guided interview: no organisation sees it unless the petitioner shares it (case_shares).
   */
  @Column({ name: 'organisation_id', type: 'varchar', length: 36, nullable: true })
  organisationId!: string | null;

  /** The staff account that made the case; null for the petitioner's own. */
  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;
}
