import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { APPOINTMENT_STATUSES, AppointmentStatus } from '../../appointments/domain/vocabulary';
import { TREATMENTS, Treatment } from '../../appointments/domain/vocabulary';
import { CLINIC_ZONE, toClinicIso } from '../../common/clinic-time';
import { IsCalendarDate, IsWallTime } from '../../common/validation';
import { COURSE_FLAG_KINDS, CourseFlagEntity, CourseFlagKind } from '../course-flag.entity';
import { COURSE_STATUSES, CourseSettings, CourseStatus, PENDING_SESSION_STATUSES } from '../course.entity';
import type { OutcomeScale, ScaleSummary } from '../domain/outcomes';
import { OutcomesByScale } from './outcome.dto';
import { phaseOf, PROTOCOL_CODES, ProtocolCode, ProtocolDefinition, sessionBooking, storedCourseOptions } from '../domain/protocols';

export class CourseOverrideDto {
  @ApiProperty({ example: 'Payer approved the extra sessions by phone; paperwork follows', description: 'Why the limits are overridden (audited)' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}

export class CreateCourseDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  patientId: string;

  @ApiProperty({ enum: PROTOCOL_CODES })
  @IsIn(PROTOCOL_CODES, { message: `protocol must be one of: ${PROTOCOL_CODES.join(', ')}` })
  protocol: ProtocolCode;

  @ApiProperty({ format: 'uuid', description: 'The main clinic' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ example: '2027-08-02', description: 'Clinic-local date of the first possible session' })
  @IsCalendarDate()
  startDate: string;

  @ApiProperty({ example: '09:00', description: 'Local wall time every session aims for (kept across DST changes)' })
  @IsWallTime()
  preferredTime: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Clinics to try, in order, when the main one has no start within 2 hours' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  alternateLocationIds?: string[];

  @ApiPropertyOptional({ default: false, description: 'Plan only: answer 200 with the plan and store nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ example: 9, description: 'ect-index only: 6 to 12 treatments (default 9)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  totalSessions?: number;

  @ApiPropertyOptional({ example: 8, description: 'spravato-trd only: weekly maintenance weeks after week 8 (0–52)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(52)
  maintenanceWeeks?: number;

  @ApiPropertyOptional({ type: CourseOverrideDto, description: 'Provider or admin: book past the authorization or eligibility limits' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CourseOverrideDto)
  override?: CourseOverrideDto;
}

export class ReplanCourseDto {
  @ApiProperty({ example: 10, description: 'The first session to move; it and every later session move, the earlier ones stay' })
  @IsInt()
  @Min(1)
  @Max(1000)
  fromSequence: number;

  @ApiPropertyOptional({ example: '14:00', description: 'A new wall time for the sessions moved (kept across DST changes)' })
  @IsOptional()
  @IsWallTime()
  preferredTime?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A new main clinic for the sessions moved' })
  @IsOptional()
  @IsUUID()
  locationId?: string;

  @ApiPropertyOptional({ example: '2027-03-15', description: 'The first possible date of the sessions moved (default: the date of session fromSequence)' })
  @IsOptional()
  @IsCalendarDate()
  startDate?: string;

  @ApiPropertyOptional({
    enum: [1, 2],
    description: 'spravato-trd: maintenance after week 8 once a week (1) or every 2 weeks (2); "step back to the previous frequency" is 1',
  })
  @IsOptional()
  @IsInt()
  @IsIn([1, 2])
  maintenanceEveryWeeks?: number;

  @ApiPropertyOptional({ default: false, description: 'Plan only: answer with the course as it would be; nothing stored' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ type: CourseOverrideDto, description: "Provider or admin: move the sessions past the authorization's window (audited)" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CourseOverrideDto)
  override?: CourseOverrideDto;
}

export class CancelCourseDto {
  @ApiProperty({ example: 'Patient moved out of state' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class CourseSessionResponse {
  @ApiProperty({ example: 1, nullable: true, description: 'null for an appointment added to the course by hand' }) sequence: number | null;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'null in a dry run' }) appointmentId: string | null;
  @ApiProperty({ example: '2027-08-02T09:00:00-06:00' }) startsAt: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ format: 'uuid', nullable: true }) resourceId: string | null;
  @ApiProperty({ example: 'induction', description: 'induction, taper, continuation, maintenance, index, accelerated-day-N, make-up' }) phase: string;
  @ApiPropertyOptional({ enum: APPOINTMENT_STATUSES }) status?: AppointmentStatus;
  @ApiPropertyOptional({ example: 56, description: 'Spravato: the planned dose, where the protocol sets it' }) plannedDoseMg?: number;
}

export class CourseFlagResponse {
  @ApiProperty({ enum: COURSE_FLAG_KINDS }) kind: CourseFlagKind;
  @ApiProperty({ format: 'uuid', nullable: true }) appointmentId: string | null;
  @ApiProperty() detail: string;
  @ApiProperty() createdAt: string;
}

export class CourseResponse {
  @ApiProperty({ format: 'uuid', nullable: true, description: 'null in a dry run' }) id: string | null;
  @ApiProperty({ enum: [...COURSE_STATUSES, 'planned'], description: "'planned' in a dry run" }) status: CourseStatus | 'planned';
  @ApiProperty({ enum: PROTOCOL_CODES }) protocol: string;
  @ApiProperty({ enum: TREATMENTS }) treatment: Treatment;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ type: [String], format: 'uuid' }) alternateLocationIds: string[];
  @ApiProperty({ example: '2027-08-02' }) startDate: string;
  @ApiProperty({ example: '09:00' }) preferredTime: string;
  @ApiProperty({ example: 36, description: 'Sessions the course was booked with (make-up sessions come on top)' }) totalSessions: number;
  @ApiPropertyOptional() maintenanceWeeks?: number;
  @ApiPropertyOptional({ description: 'Why a provider or admin overrode an authorization or eligibility limit' }) overrideReason?: string;
  @ApiProperty({ type: [CourseSessionResponse] }) sessions: CourseSessionResponse[];
  @ApiPropertyOptional({ type: [String], description: 'Planning: every deviation from the preferred day, time or clinic, and every limit to know about' })
  warnings?: string[];
  @ApiProperty({ example: 3, description: 'Sessions done (discharged)' }) completed: number;
  @ApiProperty({ example: 33, description: 'Sessions still to come or under way' }) remaining: number;
  @ApiProperty({ example: 0, description: 'No-shows' }) missed: number;
  @ApiProperty({ example: 0, description: 'Sessions cancelled' }) cancelled: number;
  @ApiProperty({ type: [CourseFlagResponse], description: 'Missed Spravato maintenance sessions, make-up sessions that could not be booked' })
  flags: CourseFlagResponse[];
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      "TMS: when the motor threshold is due to be measured again (the clinic's interval, 7 days by default, after the last measurement); null before the first",
  })
  motorThresholdDueAt?: string | null;
  @ApiProperty({ type: OutcomesByScale, description: 'Outcome scores over the course, per scale (see GET /api/courses/{id}/outcomes)' })
  outcomes: Partial<Record<OutcomeScale, ScaleSummary>>;
  @ApiPropertyOptional() cancelledAt?: string;
  @ApiPropertyOptional() cancelReason?: string;
}

/** The session and phase facts a response needs from a course row (or a dry run's draft). */
export interface CourseDraft {
  id: string | null;
  status: CourseStatus | 'planned';
  protocol: ProtocolDefinition;
  patientId: string;
  locationId: string;
  startDate: string;
  preferredTime: string;
  totalSessions: number;
  settings: CourseSettings;
  overrideReason: string | null;
  cancelledAt?: Date | null;
  cancelReason?: string | null;
}

/** A session as it is stored, or as planned in a dry run (no appointment, no status yet). */
export interface CourseSessionRow {
  sequence: number | null;
  appointmentId: string | null;
  startsAt: Date;
  locationId: string;
  resourceId: string | null;
  status?: AppointmentStatus;
}

/** The preferred time as HH:mm (PostgreSQL gives a time column as HH:mm:ss). */
const wallTimeOf = (time: string) => time.slice(0, 5);

/** What the course view adds to the sessions: the outcome summary and, for TMS, the motor threshold's next due time. */
export interface CourseExtras {
  outcomes?: Partial<Record<OutcomeScale, ScaleSummary>>;
  motorThresholdDueAt?: Date | null;
}

export function toCourseResponse(
  draft: CourseDraft,
  sessions: CourseSessionRow[],
  flags: CourseFlagEntity[] = [],
  warnings?: string[],
  zone = CLINIC_ZONE,
  extras: CourseExtras = {},
): CourseResponse {
  const options = storedCourseOptions(draft.protocol, draft.totalSessions, draft.settings);
  const count = (statuses: readonly string[]) => sessions.filter((s) => s.status && statuses.includes(s.status)).length;
  return {
    id: draft.id,
    status: draft.status,
    protocol: draft.protocol.code,
    treatment: draft.protocol.treatment,
    patientId: draft.patientId,
    locationId: draft.locationId,
    alternateLocationIds: draft.settings.alternateLocationIds ?? [],
    startDate: draft.startDate,
    preferredTime: wallTimeOf(draft.preferredTime),
    totalSessions: draft.totalSessions,
    ...(draft.settings.maintenanceWeeks !== undefined ? { maintenanceWeeks: draft.settings.maintenanceWeeks } : {}),
    ...(draft.overrideReason ? { overrideReason: draft.overrideReason } : {}),
    sessions: sessions.map((session) => {
      const planned = session.sequence !== null ? sessionBooking(draft.protocol, session.sequence).plannedDoseMg : undefined;
      return {
        sequence: session.sequence,
        appointmentId: session.appointmentId,
        startsAt: toClinicIso(session.startsAt, zone),
        locationId: session.locationId,
        resourceId: session.resourceId,
        phase: session.sequence !== null ? phaseOf(draft.protocol, session.sequence, options) : 'unplanned',
        ...(session.status ? { status: session.status } : {}),
        ...(planned !== undefined ? { plannedDoseMg: planned } : {}),
      };
    }),
    ...(warnings ? { warnings } : {}),
    completed: count(['discharged']),
    remaining: pendingCount(sessions),
    missed: count(['no_show']),
    cancelled: count(['cancelled']),
    flags: flags.map((flag) => ({ kind: flag.kind, appointmentId: flag.appointmentId, detail: flag.detail, createdAt: toClinicIso(flag.createdAt, zone) })),
    ...(draft.protocol.treatment === 'tms' ? { motorThresholdDueAt: extras.motorThresholdDueAt ? toClinicIso(extras.motorThresholdDueAt, zone) : null } : {}),
    outcomes: extras.outcomes ?? {},
    ...(draft.cancelledAt ? { cancelledAt: toClinicIso(draft.cancelledAt, zone) } : {}),
    ...(draft.cancelReason ? { cancelReason: draft.cancelReason } : {}),
  };
}

/** Sessions still to come or under way; every session of a dry run. */
function pendingCount(sessions: CourseSessionRow[]): number {
  return sessions.filter((s) => !s.status || (PENDING_SESSION_STATUSES as readonly string[]).includes(s.status)).length;
}
