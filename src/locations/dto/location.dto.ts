import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsCalendarDate, IsWallTime } from '../../common/validation';
import { ClosureEntity } from '../closure.entity';
import { LocationHoursEntity } from '../location-hours.entity';
import { LocationEntity } from '../location.entity';
import { RESOURCE_KINDS, ResourceKind } from '../domain/resources';
import { ResourceEntity } from '../resource.entity';

export class LocationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'aurora' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'America/Denver' }) timezone: string;
  @ApiProperty() address: string;
  @ApiProperty({ example: '+13035550140' }) phone: string;
  @ApiProperty({ description: 'Patients in observation or recovery one nurse on shift may watch' })
  observationPatientsPerNurse: number;
  @ApiProperty({ description: 'Availability grid in minutes' }) slotMinutes: number;
}

export function toLocationResponse(location: LocationEntity): LocationResponse {
  return {
    id: location.id,
    code: location.code,
    name: location.name,
    timezone: location.timezone,
    address: location.address,
    phone: location.phone,
    observationPatientsPerNurse: location.observationPatientsPerNurse,
    slotMinutes: location.slotMinutes,
  };
}

export class ResourceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: RESOURCE_KINDS }) kind: ResourceKind;
  @ApiProperty() active: boolean;
}

export function toResourceResponse(resource: ResourceEntity): ResourceResponse {
  return { id: resource.id, name: resource.name, kind: resource.kind, active: resource.active };
}

export class CreateResourceDto {
  @ApiProperty({ example: 'Chair 7' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  name: string;

  @ApiProperty({ enum: RESOURCE_KINDS })
  @IsIn(RESOURCE_KINDS)
  kind: ResourceKind;

  @ApiProperty({ required: false, default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class OpeningHoursDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;

  @ApiProperty({ example: '07:00' })
  @IsWallTime()
  opens: string;

  @ApiProperty({ example: '19:00' })
  @IsWallTime()
  closes: string;
}

export function toOpeningHoursDto(hours: LocationHoursEntity): OpeningHoursDto {
  return { weekday: hours.weekday, opens: hours.opens.slice(0, 5), closes: hours.closes.slice(0, 5) };
}

export class ClosureResponse {
  @ApiProperty({ example: '2026-11-26', description: 'Clinic-local calendar date' }) date: string;
  @ApiProperty({ example: 'Thanksgiving Day' }) reason: string;
}

export function toClosureResponse(closure: ClosureEntity): ClosureResponse {
  return { date: closure.date, reason: closure.reason };
}

export class CreateClosureDto {
  @ApiProperty({ example: '2026-12-24', description: 'Clinic-local calendar date YYYY-MM-DD' })
  @IsCalendarDate()
  date: string;

  @ApiProperty({ example: 'Staff training day', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason: string;
}

export class ClosureQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'First date, inclusive' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last date, inclusive' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class AffectedAppointmentResponse {
  @ApiProperty({ format: 'uuid' }) appointmentId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ example: '2026-12-24T09:00:00-07:00' }) startsAt: string;
  @ApiProperty({ example: 'spravato' }) type: string;
}

export class CreatedClosureResponse extends ClosureResponse {
  @ApiProperty({
    type: [AffectedAppointmentResponse],
    description: "The clinic's appointments that day: each is on the worklist (closure-affected), its texts held, until moved or cancelled",
  })
  affectedAppointments: AffectedAppointmentResponse[];
}

export class UpcomingHolidayResponse {
  @ApiProperty({ example: '2027-05-31' }) date: string;
  @ApiProperty({ example: 'Memorial Day' }) name: string;
  @ApiProperty({ description: 'The clinic opens on it deliberately (holidayOpenings)' }) open: boolean;
}

/** The settings a clinic may change (admin): PATCH semantics, a field left out is unchanged. */
export class UpdateLocationSettingsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 20, description: 'Patients in observation or recovery one nurse on shift may watch' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  observationPatientsPerNurse?: number;

  @ApiPropertyOptional({ enum: [5, 10, 15, 20, 30, 60], description: 'Availability grid and course-planning starts, in minutes' })
  @IsOptional()
  @IsIn([5, 10, 15, 20, 30, 60])
  slotMinutes?: number;

  @ApiPropertyOptional({ description: 'Whether a ride-share counts as the ride home after Spravato or ketamine' })
  @IsOptional()
  @IsBoolean()
  rideShareAccepted?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 0,
    maximum: 92,
    description: "Spravato discharge also needs a CADSS total at most this; null (the default): the clinician's judgement alone",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(92)
  cadssCeiling?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 7, description: 'TMS: the motor threshold is due again this many days after the last measurement' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  motorThresholdIntervalDays?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 52, default: 4, description: 'IV ketamine boosters are recalled from this many weeks after the last infusion' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(52)
  ketamineBoosterMinWeeks?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 52, default: 6, description: '… and are overdue after this many' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(52)
  ketamineBoosterMaxWeeks?: number;

  @ApiPropertyOptional({ enum: ['warn', 'refuse'], default: 'warn', description: 'An accelerated TMS course without an MRI on file: a warning, or refused' })
  @IsOptional()
  @IsIn(['warn', 'refuse'])
  acceleratedTmsMri?: 'warn' | 'refuse';

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 120,
    default: 10,
    description: 'From "may go home" to a free chair (discharge, turnover): how long past the earliest discharge a chair stays held',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  dischargeMarginMinutes?: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['2027-11-26'],
    description: 'Public holidays (YYYY-MM-DD) the clinic opens on deliberately; replaces the list. Every other holiday is closed, every year',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsCalendarDate({ each: true })
  holidayOpenings?: string[];
}

export class LocationSettingsResponse {
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty() observationPatientsPerNurse: number;
  @ApiProperty() slotMinutes: number;
  @ApiProperty() rideShareAccepted: boolean;
  @ApiProperty({ nullable: true, type: Number }) cadssCeiling: number | null;
  @ApiProperty() motorThresholdIntervalDays: number;
  @ApiProperty() ketamineBoosterMinWeeks: number;
  @ApiProperty() ketamineBoosterMaxWeeks: number;
  @ApiProperty({ enum: ['warn', 'refuse'] }) acceleratedTmsMri: 'warn' | 'refuse';
  @ApiProperty() dischargeMarginMinutes: number;
  @ApiProperty({ type: [String] }) holidayOpenings: string[];
  @ApiProperty({ type: [UpcomingHolidayResponse], description: 'The public holidays of the next 12 months and whether the clinic opens on them' })
  upcomingHolidays: UpcomingHolidayResponse[];
}

export function toLocationSettingsResponse(location: LocationEntity, upcoming: Array<{ date: string; name: string }>): LocationSettingsResponse {
  const openings = new Set(location.holidayOpenings);
  return {
    locationId: location.id,
    observationPatientsPerNurse: location.observationPatientsPerNurse,
    slotMinutes: location.slotMinutes,
    rideShareAccepted: location.rideShareAccepted,
    cadssCeiling: location.cadssCeiling,
    motorThresholdIntervalDays: location.motorThresholdIntervalDays,
    ketamineBoosterMinWeeks: location.ketamineBoosterMinWeeks,
    ketamineBoosterMaxWeeks: location.ketamineBoosterMaxWeeks,
    acceleratedTmsMri: location.acceleratedTmsMri,
    dischargeMarginMinutes: location.dischargeMarginMinutes,
    holidayOpenings: location.holidayOpenings,
    upcomingHolidays: upcoming.map((h) => ({ ...h, open: openings.has(h.date) })),
  };
}
