import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('cases')
export class CaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'pack_id', type: 'varchar', length: 64 })
  packId!: string;

  /** The validated CaseFacts as JSON. */
  @Column({ type: 'text' })
  facts!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'updated_at' })
  updatedAt!: Date;
}
