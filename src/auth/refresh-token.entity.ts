import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AuthSessionEntity } from './auth-session.entity';

/**
 * A refresh token, by the SHA-256 of its value (the value itself is only in the client's cookie). Each is
 * used once: a refresh marks it used and issues the next; presenting a used one again means it was
 * copied, and the whole session ends.
 */
@Entity('auth_refresh_tokens')
@Index('ix_auth_refresh_tokens_session', ['sessionId'])
export class RefreshTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => AuthSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_auth_refresh_tokens_session' })
  session?: AuthSessionEntity;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;
}
