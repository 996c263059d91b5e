import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';

/**
 * One data key per case, stored only wrapped by a master key. Deleting the row (the case's
 * deletion cascades to it) makes every ciphertext of the case unreadable, backups included.
 */
@Entity('data_keys')
@Index('uq_data_keys_case', ['caseId'], { unique: true })
export class DataKeyEntity {
  /** Recorded in every ciphertext made with this key. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId!: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: CaseEntity;

  /** base64 of 0x01 | IV | GCM tag | encrypted 32-byte key (AES-256-GCM under the master key). */
  @Column({ name: 'wrapped_key', type: 'text' })
  wrappedKey!: string;

  /** Which master key wrapped it: a version in MASTER_KEYS. */
  @Column({ name: 'master_key_version', type: 'varchar', length: 32 })
  masterKeyVersion!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
