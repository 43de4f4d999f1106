import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { StaffEntity } from '../staff/staff.entity';

/**
 * One login: its access tokens carry its id, its refresh tokens rotate within it. Ended by logout, idle
 * time, a reused refresh token, a password change, or at `expiresAt`; its tokens are refused from then on.
 * Times are real time (not the clinic's Clock): they guard access, not the schedule.
 */
@Entity('auth_sessions')
@Index('ix_auth_sessions_staff', ['staffId'])
export class AuthSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  staffId: string;

  @ManyToOne(() => StaffEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'fk_auth_sessions_staff' })
  staff?: StaffEntity;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  /** The last request (written at most every few seconds): idle logoff counts from here. */
  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;

  /** The absolute end, however active. */
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  /** logout, idle, refresh-reuse, password-change, expired. */
  @Column({ type: 'varchar', length: 30, nullable: true })
  endReason: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  clientAddress: string | null;
}
