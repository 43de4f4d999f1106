import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { AppointmentResponse } from '../../appointments/dto/appointment.dto';
import { IsOffsetDateTime } from '../../common/validation';
import { TMS_LIMITS } from '../domain/tms-rules';

export class DosingClearanceDto {
  @ApiProperty({ example: 'Baseline 148/92 with white-coat history; repeat trending down; cleared to dose', maxLength: 1000 })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be empty' })
  @MaxLength(1000)
  reason: string;
}

export class DosingClearanceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) appointmentId: string;
  @ApiProperty({ format: 'uuid', description: 'The pre-dose reading cleared' }) vitalsId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) clearedBy: string | null;
  @ApiProperty() clearedAt: string;
}

export class RecordDoseDto {
  @ApiProperty({ enum: [56, 84], example: 56 })
  @IsInt()
  doseMg: number;

  @ApiProperty({ enum: [2, 3], example: 2, description: '28 mg devices: 56 mg = 2, 84 mg = 3' })
  @IsInt()
  devices: number;

  @ApiProperty({ example: 'EKX4471', maxLength: 40 })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 ./_-]{0,39}$/, { message: 'lotNumber must be 1 to 40 letters, digits, spaces or . / _ -' })
  lotNumber: string;

  @ApiPropertyOptional({
    example: '2027-08-02T09:15:00-06:00',
    description: 'The first device; default now. The others follow every 5 minutes',
  })
  @IsOptional()
  @IsOffsetDateTime()
  administeredAt?: string;
}

export class DoseResponse {
  @ApiProperty() doseMg: number;
  @ApiProperty() devices: number;
  @ApiProperty() lotNumber: string;
  @ApiProperty({ type: [String], example: ['2027-08-02T09:15:00-06:00', '2027-08-02T09:20:00-06:00'] }) deviceTimes: string[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) administeredBy: string | null;
}

export class DosedAppointmentResponse extends AppointmentResponse {
  @ApiProperty({ type: DoseResponse }) dose: DoseResponse;
}

export class DischargeDto {
  @ApiPropertyOptional({ description: 'Required (true) after Spravato, ketamine and ECT: the patient may not drive' })
  @IsOptional()
  @IsBoolean()
  rideConfirmed?: boolean;

  @ApiPropertyOptional({ description: 'The ride is a ride-share; accepted only where the clinic allows it, never after ECT' })
  @IsOptional()
  @IsBoolean()
  rideShare?: boolean;

  @ApiPropertyOptional({ example: 'Sam Rivera (spouse)', maxLength: 120, description: 'ECT: the adult escort (required)' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  escortName?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string;
}

const tmsRange = (field: keyof typeof TMS_LIMITS) => ({ minimum: TMS_LIMITS[field].min, maximum: TMS_LIMITS[field].max, type: 'integer' as const });

export class TmsRecordDto {
  @ApiPropertyOptional({
    ...tmsRange('motorThresholdPercent'),
    example: 52,
    description: 'Measured now, % of machine output; required in the first session of a course',
  })
  @IsOptional()
  @IsInt()
  motorThresholdPercent?: number;

  @ApiProperty({ ...tmsRange('intensityPercent'), example: 120, description: '% of the motor threshold' })
  @IsInt()
  intensityPercent: number;

  @ApiProperty({ ...tmsRange('pulses'), example: 3000 })
  @IsInt()
  pulses: number;

  @ApiPropertyOptional({ example: 'L-DLPFC, Beam F3', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  coilPosition?: string;
}

export class TmsRecordResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) appointmentId: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Measured in this session' }) motorThresholdPercent: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Measured now, or last measured earlier in the course' }) motorThresholdInEffect: number | null;
  @ApiProperty() intensityPercent: number;
  @ApiProperty() pulses: number;
  @ApiProperty({ nullable: true, type: String }) coilPosition: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) recordedBy: string | null;
  @ApiProperty() recordedAt: string;
}

export class SessionStepResponse {
  @ApiProperty() at: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) by: string | null;
}

export class SessionResponse {
  @ApiProperty({ format: 'uuid' }) appointmentId: string;
  @ApiProperty() type: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: SessionStepResponse, nullable: true }) checkedIn: SessionStepResponse | null;
  @ApiProperty({ type: SessionStepResponse, nullable: true }) started: SessionStepResponse | null;
  @ApiProperty({ type: SessionStepResponse, nullable: true, description: 'Ketamine: end of the infusion; ECT: into the recovery bay' })
  treatmentEnded: SessionStepResponse | null;
  @ApiProperty({ type: SessionStepResponse, nullable: true }) discharged: SessionStepResponse | null;
  @ApiProperty({ nullable: true, type: String }) earliestDischargeAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the next vitals are expected (observation and infusions)' }) nextVitalsDueAt: string | null;
  @ApiProperty({ type: DoseResponse, nullable: true }) dose: DoseResponse | null;
  @ApiProperty({ type: [DosingClearanceResponse] }) dosingClearances: DosingClearanceResponse[];
  @ApiProperty({ type: TmsRecordResponse, nullable: true }) tmsRecord: TmsRecordResponse | null;
}

export class ObservationEntryResponse {
  @ApiProperty({ format: 'uuid' }) appointmentId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Where the patient is: the chair, or the recovery bay after ECT' })
  resourceId: string | null;
  @ApiProperty({ enum: ['spravato', 'ketamine', 'ect'] }) type: string;
  @ApiProperty({ enum: ['observing', 'in_treatment'], description: 'in_treatment: a ketamine infusion under way' }) status: string;
  @ApiProperty({ nullable: true, type: String }) earliestDischargeAt: string | null;
  @ApiProperty({ nullable: true, type: String }) nextVitalsDueAt: string | null;
  @ApiProperty({ description: 'max(now, earliestDischargeAt) + 10 minutes to discharge and turn the chair over' }) expectedFreeAt: string;
  @ApiProperty({ description: 'The resource will not be free by the start of its next booking' }) overrunsNextBooking: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) nextBookingAppointmentId: string | null;
  @ApiProperty({ nullable: true, type: String }) nextBookingStartsAt: string | null;
}
