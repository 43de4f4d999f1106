import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { LocationEntity } from './location.entity';

/** A day the clinic is closed (public holiday or ad-hoc): nothing may be booked on it. */
@Entity('closures')
export class ClosureEntity {
  @PrimaryColumn({ type: 'uuid' })
  locationId: string;

  @ManyToOne(() => LocationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'location_id', foreignKeyConstraintName: 'fk_closures_location' })
  location?: LocationEntity;

  /** Clinic-local calendar date, YYYY-MM-DD. */
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ type: 'varchar', length: 200 })
  reason: string;
}
