import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PatientEntity } from '../patients/patient.entity';

/** The history of a patient's consent to texts given or withdrawn by text (STOP / START). */
@Entity('sms_consent_events')
@Index('ix_sms_consent_events_patient', ['patientId', 'createdAt'])
@Check('ck_sms_consent_events_event', `"event" IN ('opt_out', 'opt_in')`)
export class SmsConsentEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  patientId: string;

  @ManyToOne(() => PatientEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patient_id', foreignKeyConstraintName: 'fk_sms_consent_events_patient' })
  patient?: PatientEntity;

  @Column({ type: 'varchar', length: 10 })
  event: 'opt_out' | 'opt_in';

  /** The keyword as understood (stop, start), not the message. */
  @Column({ type: 'varchar', length: 10 })
  keyword: string;

  /** The provider's id of the inbound message. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  inboundMessageSid: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
