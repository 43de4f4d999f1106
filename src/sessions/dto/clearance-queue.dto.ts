import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/validation';

export class ClearanceQueueQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  locationId: string;

  @ApiPropertyOptional({ example: '2027-08-02', description: 'A clinic-local day; default today at the clinic' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;
}

export class WaitingPatientResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Dana' }) firstName: string;
  @ApiProperty({ example: 'Reyes' }) lastName: string;
}

export class WaitingChairResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Chair 2' }) name: string;
}

export class AwaitedReadingResponse {
  @ApiProperty({ format: 'uuid', description: 'What POST /api/appointments/{id}/dosing-clearance will clear' }) vitalsId: string;
  @ApiProperty({ example: 152 }) systolic: number;
  @ApiProperty({ example: 94 }) diastolic: number;
  @ApiProperty({ example: '2027-08-02T08:52:00-06:00' }) takenAt: string;
}

export class WaitingClearanceResponse {
  @ApiProperty({ format: 'uuid' }) appointmentId: string;
  @ApiProperty({ example: '2027-08-02T09:00:00-06:00' }) startsAt: string;
  @ApiProperty({ enum: ['checked_in', 'in_treatment'] }) status: string;
  @ApiProperty({ type: WaitingPatientResponse }) patient: WaitingPatientResponse;
  @ApiProperty({ type: WaitingChairResponse, nullable: true }) chair: WaitingChairResponse | null;
  @ApiProperty({ type: AwaitedReadingResponse, description: 'The latest pre-dose reading, above 140/90 and not cleared' }) reading: AwaitedReadingResponse;
  @ApiProperty({ example: 'Pre-dose blood pressure 152/94 is above 140/90' }) why: string;
}
