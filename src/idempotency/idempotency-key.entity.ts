import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A creating POST's Idempotency-Key: the request's hash and the response it got, kept 24 hours. */
@Entity('idempotency_keys')
@Index('ix_idempotency_keys_created', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'uuid' })
  actorId: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  /** METHOD path, so one key cannot be replayed against another endpoint. */
  @Column({ type: 'varchar', length: 300 })
  scope: string;

  @Column({ type: 'char', length: 64 })
  requestHash: string;

  /** Null while the first request is still being processed. */
  @Column({ type: 'int', nullable: true })
  statusCode: number | null;

  @Column({ type: 'jsonb', nullable: true })
  response: unknown;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
