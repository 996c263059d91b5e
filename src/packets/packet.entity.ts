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

  /** The packet manifest (documents, files, checksums) as JSON. */
  @Column({ type: 'text' })
  manifest!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
