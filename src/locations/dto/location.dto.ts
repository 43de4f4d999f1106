import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
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
