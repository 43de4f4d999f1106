import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { TREATMENTS, Treatment } from '../../appointments/domain/vocabulary';
import { toClinicIso } from '../../common/clinic-time';
import { Recall, RECALL_REASONS, RecallReason } from '../domain/recall-rules';

export class RecallQueryDto {
  @ApiProperty({ format: 'uuid', description: 'The clinic of the last session (TMS: of the course)' })
  @IsUUID()
  locationId: string;

  @ApiPropertyOptional({ enum: TREATMENTS })
  @IsOptional()
  @IsIn(TREATMENTS)
  treatment?: Treatment;
}

export class RecallResponse {
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ enum: TREATMENTS }) treatment: Treatment;
  @ApiProperty({ enum: RECALL_REASONS }) reason: RecallReason;
  @ApiProperty({ nullable: true, type: String, description: 'The last session done (null: a TMS course none of whose sessions was done)' })
  lastSessionAt: string | null;
  @ApiProperty({ example: '2027-08-30', description: 'Clinic-local date from which the next session is due' }) dueFrom: string;
  @ApiPropertyOptional({ example: '2027-09-13', description: 'Ketamine: the end of the booster window' }) dueBy?: string;
  @ApiProperty({ description: 'Past dueFrom (ketamine: past dueBy)' }) overdue: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) courseId?: string;
}

export function toRecallResponse(recall: Recall): RecallResponse {
  return {
    patientId: recall.patientId,
    treatment: recall.treatment,
    reason: recall.reason,
    lastSessionAt: recall.lastSessionAt ? toClinicIso(recall.lastSessionAt) : null,
    dueFrom: recall.dueFrom,
    ...(recall.dueBy ? { dueBy: recall.dueBy } : {}),
    overdue: recall.overdue,
    ...(recall.courseId ? { courseId: recall.courseId } : {}),
  };
}
