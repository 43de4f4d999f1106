import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { toClinicIso } from '../../common/clinic-time';
import { IsCalendarDate, IsOffsetDateTime } from '../../common/validation';
import { AppointmentSegmentEntity } from '../appointment-segment.entity';
import { APPOINTMENT_STATUSES, APPOINTMENT_TYPES, AppointmentStatus, AppointmentType, VISIT_MODES, VisitMode } from '../domain/vocabulary';
import { AppointmentEntity } from '../appointment.entity';

export class BookingOverrideDto {
  @ApiProperty({ example: 'Missed last week; catching up the induction on the psychiatrist’s order', description: 'Why the limit is overridden (audited)' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}

export class CreateAppointmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  patientId: string;

  @ApiProperty({ enum: APPOINTMENT_TYPES })
  @IsIn(APPOINTMENT_TYPES)
  type: AppointmentType;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ example: '2026-11-02T09:00:00-07:00', description: 'ISO-8601 with an offset' })
  @IsOffsetDateTime()
  startsAt: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "Without it the service picks a free resource of the right kind: the patient's own first choice among the free ones (the same chair or device whenever it is free)",
  })
  @IsOptional()
  @IsUUID()
  resourceId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'intake / follow_up: the provider; without it one on shift and free is picked' })
  @IsOptional()
  @IsUUID()
  providerId?: string;

  @ApiPropertyOptional({ enum: VISIT_MODES, default: 'inPerson', description: 'intake / follow_up only' })
  @IsOptional()
  @IsIn(VISIT_MODES)
  mode?: VisitMode;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  courseId?: string;

  @ApiPropertyOptional({ description: 'Visit length; treatments may only be lengthened (Spravato: ≥ 120 min observation)' })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(480)
  durationMinutes?: number;

  @ApiPropertyOptional({
    type: BookingOverrideDto,
    description: 'Provider or admin: book past a third Spravato session in 7 days or the authorization (audited; front desk: 403)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BookingOverrideDto)
  override?: BookingOverrideDto;
}

export class RescheduleAppointmentDto {
  @ApiPropertyOptional({ example: '2026-11-03T09:00:00-07:00' })
  @IsOptional()
  @IsOffsetDateTime()
  startsAt?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  resourceId?: string;

  @ApiPropertyOptional({ type: BookingOverrideDto, description: 'Provider or admin: as for a booking' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BookingOverrideDto)
  override?: BookingOverrideDto;
}

export class CancelAppointmentDto {
  @ApiProperty({ example: 'Patient called: unwell' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class NoShowDto {
  @ApiPropertyOptional({ example: 'No answer on two calls', description: 'Why, as the front desk knows it (no diagnosis): shown as the reason' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason?: string;
}

export class ListAppointmentsQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  locationId?: string;

  @ApiPropertyOptional({ example: '2026-11-02', description: 'A clinic-local day (with locationId)' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  patientId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00-06:00' })
  @IsOptional()
  @IsOffsetDateTime()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00-07:00' })
  @IsOptional()
  @IsOffsetDateTime()
  to?: string;
}

export class AvailabilityQuery {
  @ApiProperty({ enum: APPOINTMENT_TYPES })
  @IsIn(APPOINTMENT_TYPES)
  type: AppointmentType;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ example: '2026-11-02T00:00:00-07:00' })
  @IsOffsetDateTime()
  from: string;

  @ApiProperty({ example: '2026-11-09T00:00:00-07:00', description: 'At most 31 days after from' })
  @IsOffsetDateTime()
  to: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Also leave out starts at which this patient is busy, and list the resource this patient would get' })
  @IsOptional()
  @IsUUID()
  patientId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this resource' })
  @IsOptional()
  @IsUUID()
  resourceId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'intake / follow_up: only this provider' })
  @IsOptional()
  @IsUUID()
  providerId?: string;

  @ApiPropertyOptional({ enum: VISIT_MODES })
  @IsOptional()
  @IsIn(VISIT_MODES)
  mode?: VisitMode;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(480)
  durationMinutes?: number;
}

export class IntervalResponse {
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
}

export class SegmentResponse {
  @ApiProperty({ format: 'uuid' }) resourceId: string;
  @ApiProperty({ enum: ['treatment', 'recovery'] }) kind: string;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
}

export class AppointmentPatientResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Dana' }) firstName: string;
  @ApiProperty({ example: 'Rivera' }) lastName: string;
}

export class AppointmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ enum: APPOINTMENT_TYPES }) type: AppointmentType;
  @ApiProperty({ enum: APPOINTMENT_STATUSES }) status: AppointmentStatus;
  @ApiProperty({ enum: VISIT_MODES }) mode: VisitMode;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ format: 'uuid', nullable: true }) resourceId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true }) providerId: string | null;
  @ApiProperty({ example: '2026-11-02T09:00:00-07:00' }) startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ type: IntervalResponse, description: 'The whole time the resources and the patient are held' }) occupancy: IntervalResponse;
  @ApiProperty({ type: [SegmentResponse] }) segments: SegmentResponse[];
  @ApiPropertyOptional({ type: IntervalResponse, description: 'Observation or recovery (counts against nurse capacity)' })
  observation?: IntervalResponse;
  @ApiPropertyOptional() earliestDischargeAt?: string;
  @ApiPropertyOptional({ format: 'uuid' }) courseId?: string;
  @ApiPropertyOptional() sequence?: number;
  @ApiPropertyOptional() cancelReason?: string;
  @ApiPropertyOptional({ example: '2026-11-01T10:02:00-07:00', description: 'When the patient confirmed by text; cleared when the appointment moves' })
  confirmedAt?: string;
  @ApiPropertyOptional({ example: '2026-11-01T10:02:00-07:00', description: 'When the patient asked by text to move it; cleared when it moves' })
  rescheduleRequestedAt?: string;
  @ApiPropertyOptional({
    type: AppointmentPatientResponse,
    description: "On a clinic's day list (locationId and date) only: whose appointment it is, the name the board shows",
  })
  patient?: AppointmentPatientResponse;
  @ApiPropertyOptional({ type: [String] }) warnings?: string[];
}

export function toAppointmentResponse(
  appointment: AppointmentEntity,
  segments: AppointmentSegmentEntity[],
  zone: string,
  warnings?: string[],
): AppointmentResponse {
  const iso = (date: Date) => toClinicIso(date, zone);
  return {
    id: appointment.id,
    patientId: appointment.patientId,
    type: appointment.type,
    status: appointment.status,
    mode: appointment.mode,
    locationId: appointment.locationId,
    resourceId: appointment.resourceId,
    providerId: appointment.providerId,
    startsAt: iso(appointment.startsAt),
    endsAt: iso(appointment.endsAt),
    occupancy: { startsAt: iso(appointment.occupancyStartsAt), endsAt: iso(appointment.occupancyEndsAt) },
    segments: segments
      .filter((s) => s.appointmentId === appointment.id)
      .map((s) => ({ resourceId: s.resourceId, kind: s.kind, startsAt: iso(s.startsAt), endsAt: iso(s.endsAt) })),
    ...(appointment.observationStartsAt && appointment.observationEndsAt
      ? { observation: { startsAt: iso(appointment.observationStartsAt), endsAt: iso(appointment.observationEndsAt) } }
      : {}),
    ...(appointment.earliestDischargeAt ? { earliestDischargeAt: iso(appointment.earliestDischargeAt) } : {}),
    ...(appointment.courseId ? { courseId: appointment.courseId } : {}),
    ...(appointment.sequence !== null ? { sequence: appointment.sequence } : {}),
    ...(appointment.cancelReason ? { cancelReason: appointment.cancelReason } : {}),
    ...(appointment.confirmedAt ? { confirmedAt: iso(appointment.confirmedAt) } : {}),
    ...(appointment.rescheduleRequestedAt ? { rescheduleRequestedAt: iso(appointment.rescheduleRequestedAt) } : {}),
    ...(warnings && warnings.length ? { warnings } : {}),
  };
}

export class AvailableSlotResponse {
  @ApiProperty({ example: '2026-11-02T09:00:00-07:00' }) startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'The resource a booking at this start would get' }) resourceId: string | null;
  @ApiPropertyOptional({ format: 'uuid', description: 'intake / follow_up: the provider a booking would get' }) providerId?: string;
}
