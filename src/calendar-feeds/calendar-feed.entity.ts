import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { StaffEntity } from '../staff/staff.entity';
import type { FeedScope } from './domain/feed-scope';

/** A subscribable calendar of one staff member, resource or clinic; revoked feeds stay, answering nothing. */
@Entity('calendar_feeds')
@Index('uq_calendar_feeds_token_hash', ['tokenHash'], { unique: true })
@Index('ix_calendar_feeds_created_by', ['createdBy'])
@Check('ck_calendar_feeds_scope', `"scope" IN ('staff', 'resource', 'location')`)
export class CalendarFeedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 10 })
  scope: FeedScope;

  /** The staff member, resource or clinic (checked when the feed is made; a feed whose target is gone answers 404). */
  @Column({ type: 'uuid' })
  targetId: string;

  /** SHA-256 (hex) of the token in the feed's URL. */
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @ManyToOne(() => StaffEntity)
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_calendar_feeds_created_by' })
  creator?: StaffEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
