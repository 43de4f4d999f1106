import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CLINIC_ZONE, toClinicIso } from '../../common/clinic-time';
import { IsOffsetDateTime } from '../../common/validation';
import { ShiftEntity } from '../shift.entity';

export class ShiftResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) staffId: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ example: '2026-11-02T07:00:00-07:00', description: "In the clinic's local offset" }) startsAt: string;
  @ApiProperty({ example: '2026-11-02T19:00:00-07:00' }) endsAt: string;
}

export function toShiftResponse(shift: ShiftEntity): ShiftResponse {
  const zone = shift.location?.timezone ?? CLINIC_ZONE;
  return {
    id: shift.id,
    staffId: shift.staffId,
    locationId: shift.locationId,
    startsAt: toClinicIso(shift.startsAt, zone),
    endsAt: toClinicIso(shift.endsAt, zone),
  };
}

export class ShiftQueryDto {
  @ApiPropertyOptional({ example: '2026-11-02T00:00:00-07:00', description: 'Shifts ending after this instant' })
  @IsOptional()
  @IsOffsetDateTime()
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-09T00:00:00-07:00', description: 'Shifts starting before this instant' })
  @IsOptional()
  @IsOffsetDateTime()
  to?: string;
}

export class CreateShiftDto {
  @ApiProperty({ format: 'uuid', description: "One of the staff member's clinics" })
  @IsUUID()
  locationId: string;

  @ApiProperty({ example: '2026-11-02T07:00:00-07:00' })
  @IsOffsetDateTime()
  startsAt: string;

  @ApiProperty({ example: '2026-11-02T19:00:00-07:00', description: 'After startsAt, at most 16 hours later' })
  @IsOffsetDateTime()
  endsAt: string;
}
