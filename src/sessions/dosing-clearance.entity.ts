import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { StaffEntity } from '../staff/staff.entity';
import { VitalsEntity } from './vitals.entity';

/**
 * A provider's decision to dose despite a pre-dose BP above 140/90 [label]. It clears the reading it
 * names; a later high reading needs a clearance of its own. Append-only.
 */
@Entity('dosing_clearances')
@Index('ix_dosing_clearances_appointment', ['appointmentId'])
@Index('uq_dosing_clearances_vitals', ['vitalsId'], { unique: true })
export class DosingClearanceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  appointmentId: string;

  @ManyToOne(() => AppointmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'appointment_id', foreignKeyConstraintName: 'fk_dosing_clearances_appointment' })
  appointment?: AppointmentEntity;

  @Column({ type: 'uuid' })
  vitalsId: string;

  @ManyToOne(() => VitalsEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'vitals_id', foreignKeyConstraintName: 'fk_dosing_clearances_vitals' })
  vitals?: VitalsEntity;

  @Column({ type: 'varchar', length: 1000 })
  reason: string;

  @Column({ type: 'uuid', nullable: true })
  clearedBy: string | null;

  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cleared_by', foreignKeyConstraintName: 'fk_dosing_clearances_cleared_by' })
  provider?: StaffEntity;

  @Column({ type: 'timestamptz' })
  clearedAt: Date;
}
