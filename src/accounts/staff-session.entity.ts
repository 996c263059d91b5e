import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * A signed-in staff member's session. The cookie holds a random token; the row holds only its
 * SHA-256, so a copy of the database opens no session.
 */
@Entity('staff_sessions')
@Index('uq_staff_sessions_token_hash', ['tokenHash'], { unique: true })
@Index('idx_staff_sessions_user', ['userId'])
export class StaffSessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'created_at' })
  createdAt!: Date;

  /** The last request made with the session: the idle timeout counts from here. */
  @Column({ name: 'last_seen_at' })
  lastSeenAt!: Date;

  /** created_at + STAFF_SESSION_HOURS: the session ends then however active it is. */
  @Column({ name: 'expires_at' })
  expiresAt!: Date;

  /** Set at logout, at a later sign-in from the same browser, on timeout or when disabled. */
  @Column({ name: 'ended_at', type: Date, nullable: true })
  endedAt!: Date | null;
}
