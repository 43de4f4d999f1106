import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { StaffEntity } from '../staff/staff.entity';

/** The Spravato dose of a session: one per appointment, append-only, with the time of every device. */
@Entity('doses')
@Index('uq_doses_appointment', ['appointmentId'], { unique: true })
@Check('ck_doses_amount', '"dose_mg" IN (56, 84) AND "devices" * 28 = "dose_mg"')
@Check('ck_doses_device_times', 'cardinality("device_times") = "devices"')
export class DoseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  appointmentId: string;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_doses_appointment' })
  appointment?: AppointmentEntity;

  @Column({ type: 'smallint' })
  doseMg: number;

  @Column({ type: 'smallint' })
  devices: number;

  @Column({ type: 'varchar', length: 40 })
  lotNumber: string;

  /** Device 1, 2 (and 3), 5 minutes apart. */
  @Column({ type: 'timestamptz', array: true })
  deviceTimes: Date[];

  @Column({ type: 'uuid', nullable: true })
  administeredBy: string | null;

  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'administered_by', foreignKeyConstraintName: 'fk_doses_administered_by' })
  administrator?: StaffEntity;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;
}
