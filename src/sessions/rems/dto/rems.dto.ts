import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsCalendarDate, IsOffsetDateTime } from '../../../common/validation';
import { SEDATING_MEDICATION_CLASSES, SedatingMedicationClass } from '../../domain/rems-form';

/** What only the monitoring provider can answer; every field optional (PATCH semantics), null clears one. */
export class RemsAnswersDto {
  @ApiPropertyOptional({ enum: SEDATING_MEDICATION_CLASSES, isArray: true, description: 'Concomitant sedating medications; [] = none' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(SEDATING_MEDICATION_CLASSES, { each: true })
  concomitantSedatingMedications?: SedatingMedicationClass[] | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  respiratoryDepression?: boolean | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  seriousAdverseEvents?: boolean | null;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Required when seriousAdverseEvents is true' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  seriousAdverseEventsDescription?: string | null;

  @ApiPropertyOptional({
    example: '2027-08-02T10:50:00-06:00',
    description: 'When the patient would have been ready to leave without the 2-hour minimum (after the first device, not after discharge)',
  })
  @IsOptional()
  @IsOffsetDateTime()
  readyToLeaveAt?: string | null;

  @ApiPropertyOptional({ description: 'Override of the computed value (pre-dose BP within 140/90, or cleared by a provider)' })
  @IsOptional()
  @IsBoolean()
  vitalsAcceptableBefore?: boolean | null;

  @ApiPropertyOptional({ description: 'Override of the computed value (discharge BP within 140/90)' })
  @IsOptional()
  @IsBoolean()
  vitalsAcceptableAtEnd?: boolean | null;
}

export class PendingRemsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'One clinic; all clinics without it' })
  @IsOptional()
  @IsUUID()
  locationId?: string;
}

export class RemsCsvQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  locationId: string;

  @ApiProperty({ example: '2027-08-01', description: 'First clinic-local session date' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ example: '2027-08-31', description: 'Last clinic-local session date (inclusive; at most 366 days after from)' })
  @IsCalendarDate()
  to: string;
}

class PersonResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

class RemsPatientResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ example: '1980-05-17' }) dateOfBirth: string;
}

class BloodPressureResponse {
  @ApiProperty() systolic: number;
  @ApiProperty() diastolic: number;
  @ApiProperty() takenAt: string;
}

class BloodPressureAfterDoseResponse extends BloodPressureResponse {
  @ApiProperty({ example: 62, description: 'When it was really taken, in minutes after the first device' }) minutesAfterFirstDevice: number;
  @ApiPropertyOptional({ description: 'Why it was taken outside 30–60 minutes after the first device' }) deviationReason?: string;
}

class RemsBloodPressures {
  @ApiProperty({ type: BloodPressureResponse, nullable: true }) beforeDose: BloodPressureResponse | null;
  @ApiProperty({
    type: BloodPressureAfterDoseResponse,
    nullable: true,
    description: '"About 40 minutes after dosing": 30–60 minutes after the first device, or a later one charted with a deviationReason',
  })
  at40Minutes: BloodPressureAfterDoseResponse | null;
  @ApiProperty({ type: BloodPressureResponse, nullable: true }) beforeDischarge: BloodPressureResponse | null;
}

class ObservedScore {
  @ApiProperty({ nullable: true, type: Boolean }) observed: boolean | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) lowestScore?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) highestScore?: number | null;
}

class RemsClearanceResponse {
  @ApiProperty() reason: string;
  @ApiProperty() clearedAt: string;
  @ApiProperty({ type: PersonResponse }) clearedBy: PersonResponse;
}

export class RemsFormResponse {
  @ApiProperty({ format: 'uuid' }) appointmentId: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ enum: ['pending', 'submitted'] }) status: string;
  @ApiProperty({ description: '7 days after dosing' }) dueAt: string;
  @ApiProperty({ description: 'Pending past dueAt, or submitted after it' }) overdue: boolean;
  @ApiProperty({ type: RemsPatientResponse }) patient: RemsPatientResponse;
  @ApiProperty() firstTreatment: boolean;
  @ApiProperty({ example: '2027-08-02' }) sessionDate: string;
  @ApiProperty() doseMg: number;
  @ApiProperty({ enum: ['56', '84', 'other'] }) doseCategory: string;
  @ApiProperty() devices: number;
  @ApiProperty() lotNumber: string;
  @ApiProperty({ type: [String] }) deviceTimes: string[];
  @ApiProperty({ nullable: true, type: String, description: 'The discharge' }) monitoringEndedAt: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'From the first device to the end of monitoring' }) totalMonitoringMinutes: number | null;
  @ApiProperty({ nullable: true, type: String }) readyToLeaveAt: string | null;
  @ApiProperty({ type: RemsBloodPressures }) bloodPressure: RemsBloodPressures;
  @ApiProperty({ nullable: true, type: Boolean }) vitalsAcceptableBefore: boolean | null;
  @ApiProperty({ nullable: true, type: Boolean }) vitalsAcceptableAtEnd: boolean | null;
  @ApiProperty({ nullable: true, type: Number, description: 'After dosing' }) lowestSpo2: number | null;
  @ApiProperty({ type: ObservedScore, description: 'MOAA/S below 5 after dosing' }) sedation: ObservedScore;
  @ApiProperty({ type: ObservedScore, description: 'CADSS above 4 after dosing' }) dissociation: ObservedScore;
  @ApiProperty({ nullable: true, type: Boolean }) respiratoryDepression: boolean | null;
  @ApiProperty({ nullable: true, enum: SEDATING_MEDICATION_CLASSES, isArray: true }) concomitantSedatingMedications: string[] | null;
  @ApiProperty({ nullable: true, type: Boolean }) seriousAdverseEvents: boolean | null;
  @ApiProperty({ nullable: true, type: String }) seriousAdverseEventsDescription: string | null;
  @ApiProperty({ type: RemsClearanceResponse, nullable: true }) dosingClearance: RemsClearanceResponse | null;
  @ApiProperty({ type: PersonResponse, nullable: true, description: 'The provider who submitted the form' }) monitoringProvider: PersonResponse | null;
  @ApiProperty({ nullable: true, type: String }) submittedAt: string | null;
  @ApiProperty({ type: [String], description: 'Still needed before submission' }) missing: string[];
}

export class PendingRemsFormResponse {
  @ApiProperty({ format: 'uuid' }) appointmentId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ description: 'The appointment status (discharged, or still observing)' }) appointmentStatus: string;
  @ApiProperty({ example: '2027-08-02' }) sessionDate: string;
  @ApiProperty({ description: 'The first device' }) dosedAt: string;
  @ApiProperty({ description: '7 days after dosing' }) dueAt: string;
  @ApiProperty() overdue: boolean;
}
