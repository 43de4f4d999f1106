import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. `details` never holds patient
 * data (names, phone, date of birth): ids, statuses, rule names and reasons only.
 */
@Entity('audit_log')
@Index('ix_audit_log_entity', ['entityType', 'entityId', 'at'])
@Index('ix_audit_log_at', ['at'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** Null for the system (scheduler, SMS webhook, seed). */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 20 })
  actorRole: string;

  @Column({ type: 'varchar', length: 60 })
  action: string;

  @Column({ type: 'varchar', length: 40 })
  entityType: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  entityId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
