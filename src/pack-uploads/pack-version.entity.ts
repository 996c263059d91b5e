import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganisationEntity } from '../accounts/organisation.entity';

export const PACK_VERSION_STATUSES = ['draft', 'active', 'retired'] as const;
export type PackVersionStatus = (typeof PACK_VERSION_STATUSES)[number];

/** Where each file of the pack is kept: the pack's own path to the generated name it is stored under. */
export type StoredPackFiles = Record<string, { name: string; sha256: string }>;

/**
 * One uploaded version of a pack, owned by one organisation. Its files live on disk under
 * generated names (see PackUploadStore); this row is what makes them a pack.
 */
@Entity('pack_versions')
@Index('uq_pack_versions_version', ['organisationId', 'packId', 'version'], { unique: true })
@Index('uq_pack_versions_active', ['organisationId', 'activePackId'], { unique: true })
@Index('idx_pack_versions_organisation', ['organisationId', 'createdAt'])
export class PackVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId!: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  @Column({ name: 'pack_id', type: 'varchar', length: 64 })
  packId!: string;

  /** From the manifest; packets record it, so it names this upload within the organisation. */
  @Column({ type: 'varchar', length: 32 })
  version!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: PackVersionStatus;

  /**
   * The pack id while this version is active, null otherwise: with the unique index on
   * (organisation_id, active_pack_id) the database itself keeps one active version per pack,
   * on SQLite and PostgreSQL alike (NULLs never collide).
   */
  @Column({ name: 'active_pack_id', type: 'varchar', length: 64, nullable: true })
  activePackId!: string | null;

  /** SHA-256 of the archive as uploaded. */
  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  /** The manifest as uploaded (JSON). */
  @Column({ type: 'text' })
  manifest!: string;

  /** StoredPackFiles as JSON. */
  @Column({ type: 'text' })
  files!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  /** When it last became the active version; kept when it is retired. */
  @Column({ name: 'activated_at', type: Date, nullable: true })
  activatedAt!: Date | null;
}
