import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { toClinicIso } from '../../common/clinic-time';
import { IsCalendarDate, IsOffsetDateTime } from '../../common/validation';
import { PatientEntity } from '../patient.entity';
import { Trim } from './trim';

export const E164 = /^\+[1-9]\d{7,14}$/;
const E164_MESSAGE = 'phone must be an E.164 number, e.g. +13035550100';

/** PATCH: a field left out is unchanged; null is only accepted where the column is nullable. */
const IsPresent = () => ValidateIf((_, value) => value !== undefined);

export class PatientResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Dana' }) firstName: string;
  @ApiProperty({ example: 'Whitfield' }) lastName: string;
  @ApiProperty({ example: '1984-03-17', description: 'YYYY-MM-DD' }) dateOfBirth: string;
  @ApiProperty({ example: '+13035550100', description: 'E.164' }) phone: string;
  @ApiProperty({ description: 'Consent to reminder texts' }) smsOptIn: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) preferredLocationId: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-09-01T10:00:00-06:00', description: 'Spravato REMS patient enrolment' })
  remsEnrolledAt: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-10-12', description: 'The brain MRI accelerated TMS needs first' }) mriDate: string | null;
  @ApiProperty({ example: '2026-11-02T09:00:00-07:00' }) createdAt: string;
  @ApiProperty({ example: '2026-11-02T09:00:00-07:00' }) updatedAt: string;
}

export function toPatientResponse(patient: PatientEntity): PatientResponse {
  return {
    id: patient.id,
    firstName: patient.firstName,
    lastName: patient.lastName,
    dateOfBirth: patient.dateOfBirth,
    phone: patient.phone,
    smsOptIn: patient.smsOptIn,
    preferredLocationId: patient.preferredLocationId,
    remsEnrolledAt: patient.remsEnrolledAt ? toClinicIso(patient.remsEnrolledAt) : null,
    mriDate: patient.mriDate,
    createdAt: toClinicIso(patient.createdAt),
    updatedAt: toClinicIso(patient.updatedAt),
  };
}

export class CreatePatientDto {
  @ApiProperty({ example: 'Dana', maxLength: 100 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  firstName: string;

  @ApiProperty({ example: 'Whitfield', maxLength: 100 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  lastName: string;

  @ApiProperty({ example: '1984-03-17', description: 'YYYY-MM-DD, not in the future' })
  @IsCalendarDate()
  dateOfBirth: string;

  @ApiProperty({ example: '+13035550100', description: 'E.164' })
  @Matches(E164, { message: E164_MESSAGE })
  phone: string;

  @ApiProperty({ description: 'Consent to reminder texts' })
  @IsBoolean()
  smsOptIn: boolean;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'A location id' })
  @IsOptional()
  @IsUUID('all', { message: 'preferredLocationId must be a UUID' })
  preferredLocationId?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-09-01T10:00:00-06:00', description: 'ISO-8601 with an offset' })
  @IsOptional()
  @IsOffsetDateTime()
  remsEnrolledAt?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '2026-10-12',
    description: 'The date of the brain MRI accelerated TMS needs first (not in the future)',
  })
  @IsOptional()
  @IsCalendarDate()
  mriDate?: string | null;
}

/** Any subset of the create fields; preferredLocationId and remsEnrolledAt may be null (cleared). */
export class UpdatePatientDto {
  @ApiPropertyOptional({ example: 'Dana', maxLength: 100 })
  @Trim()
  @IsPresent()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  firstName?: string;

  @ApiPropertyOptional({ example: 'Whitfield', maxLength: 100 })
  @Trim()
  @IsPresent()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ example: '1984-03-17', description: 'YYYY-MM-DD, not in the future' })
  @IsPresent()
  @IsCalendarDate()
  dateOfBirth?: string;

  @ApiPropertyOptional({ example: '+13035550100', description: 'E.164' })
  @IsPresent()
  @Matches(E164, { message: E164_MESSAGE })
  phone?: string;

  @ApiPropertyOptional()
  @IsPresent()
  @IsBoolean()
  smsOptIn?: boolean;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'null clears it' })
  @IsOptional()
  @IsUUID('all', { message: 'preferredLocationId must be a UUID' })
  preferredLocationId?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-09-01T10:00:00-06:00', description: 'null clears it' })
  @IsOptional()
  @IsOffsetDateTime()
  remsEnrolledAt?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-10-12', description: 'The MRI date; null clears it' })
  @IsOptional()
  @IsCalendarDate()
  mriDate?: string | null;
}

export class PatientSearchQueryDto {
  @ApiPropertyOptional({
    description: 'A name fragment (case-insensitive; "first last" or "last, first"), a phone number or a date of birth YYYY-MM-DD (exact)',
    example: 'whitf',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The x-next-cursor header of the previous page' })
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;
}
