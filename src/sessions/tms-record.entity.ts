import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { StaffEntity } from '../staff/staff.entity';

/** What was delivered in one TMS session; one per appointment, append-only. */
@Entity('tms_records')
@Index('uq_tms_records_appointment', ['appointmentId'], { unique: true })
@Check('ck_tms_records_motor_threshold', '"motor_threshold_percent" BETWEEN 10 AND 100')
@Check('ck_tms_records_intensity', '"intensity_percent" BETWEEN 50 AND 150')
@Check('ck_tms_records_pulses', '"pulses" BETWEEN 1 AND 10000')
export class TmsRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  appointmentId: string;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_tms_records_appointment' })
  appointment?: AppointmentEntity;

  /** Measured in this session (required in the first session of a course), % of machine output. */
  @Column({ type: 'smallint', nullable: true })
  motorThresholdPercent: number | null;

  /** % of the motor threshold. */
  @Column({ type: 'smallint' })
  intensityPercent: number;

  @Column({ type: 'int' })
  pulses: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  coilPosition: string | null;

  @Column({ type: 'uuid', nullable: true })
  recordedBy: string | null;

  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recorded_by', foreignKeyConstraintName: 'fk_tms_records_recorded_by' })
  recorder?: StaffEntity;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;
}
