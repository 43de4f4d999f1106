import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Treatment, TREATMENTS } from '../../appointments/domain/vocabulary';
import { Eligibility } from '../domain/eligibility';

export class EligibilityQueryDto {
  @ApiProperty({ enum: TREATMENTS })
  @IsIn(TREATMENTS, { message: `treatment must be one of: ${TREATMENTS.join(', ')}` })
  treatment: Treatment;
}

export class EligibilityAuthorizationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 24, description: 'Approved sessions not yet booked or held (cancelled and no-show excluded)' })
  remainingSessions: number;
  @ApiProperty({ example: '2027-04-30' }) validTo: string;
}

export class EligibilityResponse {
  @ApiProperty() eligible: boolean;
  @ApiProperty({ example: 2, description: 'Adequate trials with no or partial response' }) failedAdequateTrials: number;
  @ApiProperty({ example: 2, description: "The payer's threshold; 2 without an authorization" }) requiredFailedTrials: number;
  @ApiProperty({ type: EligibilityAuthorizationResponse, nullable: true }) authorization: EligibilityAuthorizationResponse | null;
  @ApiProperty({ type: [String], example: ['1 failed adequate trial on file; the payer requires 2'] }) reasons: string[];
}

export function toEligibilityResponse(eligibility: Eligibility): EligibilityResponse {
  return {
    eligible: eligibility.eligible,
    failedAdequateTrials: eligibility.failedAdequateTrials,
    requiredFailedTrials: eligibility.requiredFailedTrials,
    authorization: eligibility.authorization ? { ...eligibility.authorization } : null,
    reasons: [...eligibility.reasons],
  };
}
