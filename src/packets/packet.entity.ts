import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';

@Entity('packets')
@Index('idx_packets_case', ['caseId', 'createdAt'])
export class PacketEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId!: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  @Column({ name: 'pack_id', type: 'varchar', length: 64 })
  packId!: string;

  @Column({ name: 'pack_version', type: 'varchar', length: 32 })
  packVersion!: string;

  /** The staff account that made it; null when the petitioner or a batch did. */
  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy!: string | null;

  /** SHA-256 of the facts JSON that made the packet, to show which version of the facts it is. */
  @Column({ name: 'facts_sha256', type: 'varchar', length: 64, nullable: true })
  factsSha256!: string | null;

  /**
   * The facts that made the packet, encrypted with the case's data key like the case's own, so a
   * filed packet can be rebuilt exactly even after the case has been edited.
   */
  @Column({ type: 'text', nullable: true })
  facts!: string | null;

  /** The packet manifest (documents, files, checksums) as JSON. */
  @Column({ type: 'text' })
  manifest!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  /** The batch row it was made for: the unique index keeps a row to one packet. */
  @Index('uq_packets_batch_row', { unique: true })
  @Column({ name: 'batch_row_id', type: 'varchar', length: 36, nullable: true })
  batchRowId?: string | null;
}
