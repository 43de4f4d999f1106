import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { toClinicIso } from '../../common/clinic-time';
import { IsCalendarDate } from '../../common/validation';
import { TRIAL_OUTCOMES, TrialOutcome } from '../domain/medication-trials';
import { MedicationTrialEntity } from '../medication-trial.entity';
import { Trim } from './trim';

export class CreateMedicationTrialDto {
  @ApiProperty({ example: 'sertraline', maxLength: 100 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  medication: string;

  @ApiProperty({ example: 'SSRI', maxLength: 60 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  drugClass: string;

  @ApiProperty({ example: '2025-01-15', description: 'YYYY-MM-DD' })
  @IsCalendarDate()
  startedOn: string;

  @ApiProperty({ minimum: 0, maximum: 520, example: 8, description: 'How long the trial ran, in weeks' })
  @IsInt()
  @Min(0)
  @Max(520)
  weeks: number;

  @ApiProperty({ description: 'Adequate dose for an adequate time (≥ 6 weeks), as judged by the prescriber' })
  @IsBoolean()
  adequate: boolean;

  @ApiProperty({ enum: TRIAL_OUTCOMES })
  @IsIn(TRIAL_OUTCOMES)
  outcome: TrialOutcome;
}

export class MedicationTrialResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ example: 'sertraline' }) medication: string;
  @ApiProperty({ example: 'SSRI' }) drugClass: string;
  @ApiProperty({ example: '2025-01-15' }) startedOn: string;
  @ApiProperty({ example: 8 }) weeks: number;
  @ApiProperty() adequate: boolean;
  @ApiProperty({ enum: TRIAL_OUTCOMES }) outcome: TrialOutcome;
  @ApiProperty({ example: '2026-11-02T09:00:00-07:00' }) createdAt: string;
}

export function toMedicationTrialResponse(trial: MedicationTrialEntity): MedicationTrialResponse {
  return {
    id: trial.id,
    patientId: trial.patientId,
    medication: trial.medication,
    drugClass: trial.drugClass,
    startedOn: trial.startedOn,
    weeks: trial.weeks,
    adequate: trial.adequate,
    outcome: trial.outcome,
    createdAt: toClinicIso(trial.createdAt),
  };
}
