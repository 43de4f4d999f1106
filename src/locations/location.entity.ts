import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { OccupancyOverrides } from './domain/resources';

/** Per-location overrides of the default occupancy minutes, keyed by appointment type. */

@Entity('locations')
export class LocationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_locations_code', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 64, default: 'America/Denver' })
  timezone: string;

  @Column({ type: 'varchar', length: 250 })
  address: string;

  @Column({ type: 'varchar', length: 20 })
  phone: string;

  /** How many patients in observation or recovery one nurse on shift may watch. */
  @Column({ type: 'int', default: 4 })
  observationPatientsPerNurse: number;

  /** The availability grid, in minutes. */
  @Column({ type: 'int', default: 15 })
  slotMinutes: number;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  occupancyOverrides: OccupancyOverrides;

  /** [practice] whether a ride-share counts as a ride home after Spravato / ketamine. */
  @Column({ type: 'boolean', default: false })
  rideShareAccepted: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
