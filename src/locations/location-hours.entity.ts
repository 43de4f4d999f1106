import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { LocationEntity } from './location.entity';

/** Weekly opening hours; a weekday without a row is closed. */
@Entity('location_hours')
@Check('ck_location_hours_weekday', '"weekday" BETWEEN 1 AND 7')
@Check('ck_location_hours_order', '"opens" < "closes"')
export class LocationHoursEntity {
  @PrimaryColumn({ type: 'uuid' })
  locationId: string;

  @ManyToOne(() => LocationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'location_id', foreignKeyConstraintName: 'fk_location_hours_location' })
  location?: LocationEntity;

  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  @PrimaryColumn({ type: 'smallint' })
  weekday: number;

  /** Local wall time, HH:mm:ss. */
  @Column({ type: 'time' })
  opens: string;

  @Column({ type: 'time' })
  closes: string;
}
