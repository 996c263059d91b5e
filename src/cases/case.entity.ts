import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('cases')
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

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;
}
