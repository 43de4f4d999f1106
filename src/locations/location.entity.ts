import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { OccupancyOverrides } from './domain/resources';

const pad = (n: number) => String(n).padStart(2, '0');

/** node-postgres reads a date[] as local-midnight Dates: back to YYYY-MM-DD. */
function asCalendarDates(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((d) => (d instanceof Date ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` : String(d))).sort();
}

@Entity('locations')
@Check('ck_locations_cadss_ceiling', '"cadss_ceiling" BETWEEN 0 AND 92')
@Check('ck_locations_motor_threshold_interval', '"motor_threshold_interval_days" BETWEEN 1 AND 90')
@Check(
  'ck_locations_ketamine_booster_weeks',
  '"ketamine_booster_min_weeks" BETWEEN 1 AND 52 AND "ketamine_booster_max_weeks" BETWEEN "ketamine_booster_min_weeks" AND 52',
)
@Check('ck_locations_accelerated_tms_mri', `"accelerated_tms_mri" IN ('warn', 'refuse')`)
@Check('ck_locations_discharge_margin', '"discharge_margin_minutes" BETWEEN 0 AND 120')
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

  /** [practice] Spravato discharge also needs a CADSS total at most this; null (the default): the clinician's judgement alone. */
  @Column({ type: 'smallint', nullable: true })
  cadssCeiling: number | null;

  /** [practice] TMS: the motor threshold is measured again this many days after the last measurement. */
  @Column({ type: 'smallint', default: 7 })
  motorThresholdIntervalDays: number;

  /** [practice] IV ketamine boosters are due this many weeks after the last infusion (recalls). */
  @Column({ type: 'smallint', default: 4 })
  ketamineBoosterMinWeeks: number;

  @Column({ type: 'smallint', default: 6 })
  ketamineBoosterMaxWeeks: number;

  /** An accelerated TMS course without an MRI on file: booked with a warning, or refused. */
  @Column({ type: 'varchar', length: 10, default: 'warn' })
  acceleratedTmsMri: 'warn' | 'refuse';

  /** From "may go home" to a free chair: the discharge and turning the chair over (the real occupancy after a late dose). */
  @Column({ type: 'smallint', default: 10 })
  dischargeMarginMinutes: number;

  /** Public holidays (YYYY-MM-DD) the clinic opens on deliberately; every other holiday is closed. */
  @Column({ type: 'date', array: true, default: () => "'{}'", transformer: { to: (dates: string[]) => dates, from: asCalendarDates } })
  holidayOpenings: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
