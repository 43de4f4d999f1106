import { Check, Column, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { LocationEntity } from '../locations/location.entity';
import { StaffEntity } from './staff.entity';

/** A staff member working at a clinic; one person is never on two shifts at once. */
@Entity('staff_shifts')
@Index('ix_staff_shifts_location_time', ['locationId', 'startsAt'])
@Check('ck_staff_shifts_order', '"ends_at" > "starts_at"')
@Exclusion('ex_staff_shifts_overlap', `USING gist ("staff_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)`)
export class ShiftEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  staffId: string;

  @ManyToOne(() => StaffEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'fk_staff_shifts_staff' })
  staff?: StaffEntity;

  @Column({ type: 'uuid' })
  locationId: string;

  @ManyToOne(() => LocationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'location_id', foreignKeyConstraintName: 'fk_staff_shifts_location' })
  location?: LocationEntity;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;
}
