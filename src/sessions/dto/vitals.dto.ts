import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { toClinicIso } from '../../common/clinic-time';
import { IsOffsetDateTime } from '../../common/validation';
import { VITAL_LIMITS, VITALS_TIMEPOINTS, VitalsTimepoint } from '../domain/vitals';
import type { VitalsEntity } from '../vitals.entity';

const range = (field: keyof typeof VITAL_LIMITS) => ({ minimum: VITAL_LIMITS[field].min, maximum: VITAL_LIMITS[field].max, type: 'integer' as const });

export class RecordVitalsDto {
  @ApiProperty({
    enum: VITALS_TIMEPOINTS,
    description: 'Spravato: pre_dose, post_dose_40 (30–60 min after the first device; outside that with a deviationReason), discharge',
  })
  @IsIn(VITALS_TIMEPOINTS)
  timepoint: VitalsTimepoint;

  @ApiPropertyOptional({ example: '2027-08-02T09:05:00-06:00', description: 'When it was measured; default now. On the appointment day, not in the future' })
  @IsOptional()
  @IsOffsetDateTime()
  takenAt?: string;

  @ApiProperty({ ...range('systolic'), example: 128 })
  @IsInt()
  systolic: number;

  @ApiProperty({ ...range('diastolic'), example: 82, description: 'Lower than systolic' })
  @IsInt()
  diastolic: number;

  @ApiProperty({ ...range('heartRate'), example: 74 })
  @IsInt()
  heartRate: number;

  @ApiProperty({ ...range('spo2'), example: 98, description: 'Pulse oximetry, %' })
  @IsInt()
  spo2: number;

  @ApiPropertyOptional({ ...range('respiratoryRate'), example: 14 })
  @IsOptional()
  @IsInt()
  respiratoryRate?: number;

  @ApiPropertyOptional({ ...range('sedationScore'), example: 5, description: 'MOAA/S: 5 = alert' })
  @IsOptional()
  @IsInt()
  sedationScore?: number;

  @ApiPropertyOptional({
    ...range('dissociationScore'),
    example: 2,
    description: 'CADSS total (the discharge judgement is dissociationResolved; a clinic may set a CADSS ceiling)',
  })
  @IsOptional()
  @IsInt()
  dissociationScore?: number;

  @ApiPropertyOptional({ description: "The clinician's judgement whether dissociation has resolved; required on Spravato discharge vitals" })
  @IsOptional()
  @IsBoolean()
  dissociationResolved?: boolean;

  @ApiPropertyOptional({
    maxLength: 500,
    example: 'Room busy: two patients dosed at once',
    description: 'Why a post_dose_40 reading was taken outside 30–60 minutes after the first device (required then); it still counts',
  })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  deviationReason?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'This entry corrects (replaces) that earlier entry of the same session' })
  @IsOptional()
  @IsUUID()
  correctsId?: string;
}

export class VitalsResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) appointmentId: string;
  @ApiProperty({ enum: VITALS_TIMEPOINTS }) timepoint: VitalsTimepoint;
  @ApiProperty({ example: '2027-08-02T09:05:00-06:00' }) takenAt: string;
  @ApiProperty() systolic: number;
  @ApiProperty() diastolic: number;
  @ApiProperty() heartRate: number;
  @ApiProperty() spo2: number;
  @ApiProperty({ nullable: true, type: Number }) respiratoryRate: number | null;
  @ApiProperty({ nullable: true, type: Number }) sedationScore: number | null;
  @ApiProperty({ nullable: true, type: Number }) dissociationScore: number | null;
  @ApiProperty({ nullable: true, type: Boolean }) dissociationResolved: boolean | null;
  @ApiProperty({ nullable: true, type: String }) deviationReason: string | null;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The entry this one corrects' }) correctsId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The entry that corrects this one' }) correctedById: string | null;
  @ApiProperty({ description: 'Replaced by a correction: no longer counts' }) superseded: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who took it' }) recordedBy: string | null;
  @ApiProperty({ description: 'When it was charted' }) recordedAt: string;
}

export function toVitalsResponse(entry: VitalsEntity, correctedById: string | null, zone: string): VitalsResponse {
  return {
    id: entry.id,
    appointmentId: entry.appointmentId,
    timepoint: entry.timepoint,
    takenAt: toClinicIso(entry.takenAt, zone),
    systolic: entry.systolic,
    diastolic: entry.diastolic,
    heartRate: entry.heartRate,
    spo2: entry.spo2,
    respiratoryRate: entry.respiratoryRate,
    sedationScore: entry.sedationScore,
    dissociationScore: entry.dissociationScore,
    dissociationResolved: entry.dissociationResolved,
    deviationReason: entry.deviationReason,
    notes: entry.notes,
    correctsId: entry.correctsId,
    correctedById,
    superseded: correctedById !== null,
    recordedBy: entry.recordedBy,
    recordedAt: toClinicIso(entry.recordedAt, zone),
  };
}
