import { Check, Column, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ResourceEntity } from '../locations/resource.entity';
import { AppointmentEntity } from './appointment.entity';
import { ResourceHoldEntity } from './resource-hold.entity';

export const SEGMENT_KINDS = ['treatment', 'recovery'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/**
 * One resource held for a span of time: by an appointment (ECT: the suite, then a recovery bay), or by a
 * hold (a slot kept for a waitlist offer; see ResourceHoldEntity), never both. `active` mirrors the
 * appointment: false once it is cancelled or a no-show, which frees the resource. A hold's segments carry
 * its expiry, so that the calendar read can pass over an expired hold without a join.
 */
@Entity('appointment_segments')
@Index('ix_appointment_segments_appointment', ['appointmentId'])
@Index('ix_appointment_segments_hold', ['holdId'], { where: '"hold_id" IS NOT NULL' })
@Check('ck_appointment_segments_owner', '(("appointment_id" IS NULL) <> ("hold_id" IS NULL)) AND (("hold_id" IS NULL) = ("expires_at" IS NULL))')
@Check('ck_appointment_segments_kind', `"kind" IN ('treatment', 'recovery')`)
@Check('ck_appointment_segments_times', '"ends_at" > "starts_at"')
// A resource holds one patient at a time.
@Exclusion('ex_segments_resource_overlap', `USING gist ("resource_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE ("active")`)
export class AppointmentSegmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  appointmentId: string | null;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_appointment_segments_appointment' })
  appointment?: AppointmentEntity;

  @Column({ type: 'uuid', nullable: true })
  holdId: string | null;

  @ManyToOne(() => ResourceHoldEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hold_id', foreignKeyConstraintName: 'fk_appointment_segments_hold' })
  hold?: ResourceHoldEntity;

  /** A hold's expiry (null for an appointment's segment). */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'uuid' })
  resourceId: string;

  @ManyToOne(() => ResourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'resource_id', foreignKeyConstraintName: 'fk_appointment_segments_resource' })
  resource?: ResourceEntity;

  @Column({ type: 'varchar', length: 12 })
  kind: SegmentKind;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}
