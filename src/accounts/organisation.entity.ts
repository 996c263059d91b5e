import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A legal-aid office or law firm: every staff account, token and (later) case belongs to one. */
@Entity('organisations')
export class OrganisationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'created_at' })
  createdAt!: Date;
}
