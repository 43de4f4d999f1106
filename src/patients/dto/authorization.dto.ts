import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { toClinicIso } from '../../common/clinic-time';
import { IsCalendarDate } from '../../common/validation';
import { Treatment, TREATMENTS } from '../../appointments/domain/vocabulary';
import { AuthorizationEntity } from '../authorization.entity';
import { DEFAULT_REQUIRED_FAILED_TRIALS } from '../domain/eligibility';
import { Trim } from './trim';

export class CreateAuthorizationDto {
  @ApiProperty({ example: 'Rocky Mountain Health Plans', maxLength: 120 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  payer: string;

  @ApiProperty({ enum: TREATMENTS })
  @IsIn(TREATMENTS)
  treatment: Treatment;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 36, description: 'Sessions (or devices) approved' })
  @IsInt()
  @Min(1)
  @Max(1000)
  approvedSessions: number;

  @ApiProperty({ example: '2026-11-01', description: 'First day of validity, YYYY-MM-DD (clinic-local)' })
  @IsCalendarDate()
  validFrom: string;

  @ApiProperty({ example: '2027-04-30', description: 'Last day of validity, YYYY-MM-DD (inclusive), not before validFrom' })
  @IsCalendarDate()
  validTo: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 20,
    default: DEFAULT_REQUIRED_FAILED_TRIALS,
    description: 'Failed adequate antidepressant trials this payer requires',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  requiredFailedTrials?: number;
}

export class AuthorizationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty() payer: string;
  @ApiProperty({ enum: TREATMENTS }) treatment: Treatment;
  @ApiProperty({ example: 36 }) approvedSessions: number;
  @ApiProperty({ example: '2026-11-01' }) validFrom: string;
  @ApiProperty({ example: '2027-04-30' }) validTo: string;
  @ApiProperty({ example: 2 }) requiredFailedTrials: number;
  @ApiProperty({ example: '2026-11-02T09:00:00-07:00' }) createdAt: string;
}

export function toAuthorizationResponse(authorization: AuthorizationEntity): AuthorizationResponse {
  return {
    id: authorization.id,
    patientId: authorization.patientId,
    payer: authorization.payer,
    treatment: authorization.treatment,
    approvedSessions: authorization.approvedSessions,
    validFrom: authorization.validFrom,
    validTo: authorization.validTo,
    requiredFailedTrials: authorization.requiredFailedTrials,
    createdAt: toClinicIso(authorization.createdAt),
  };
}
