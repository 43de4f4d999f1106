import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { toClinicIso } from '../../common/clinic-time';
import { PageQueryDto } from '../../common/paging';
import { WORKLIST_KINDS, WorklistKind } from '../domain/worklist-kinds';
import { WorklistItemEntity } from '../worklist-item.entity';

export class WorklistQueryDto extends PageQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  locationId: string;

  @ApiPropertyOptional({ enum: ['open', 'done'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'done'])
  status?: 'open' | 'done';

  @ApiPropertyOptional({ format: 'uuid', description: 'The x-next-cursor of the previous page' })
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;
}

export class MarkWorklistDoneDto {
  @ApiPropertyOptional({ example: 'Called the patient; moved to Thursday', description: 'What was done (no patient names)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  resolution?: string;
}

export class WorklistItemResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: WORKLIST_KINDS }) kind: WorklistKind;
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiPropertyOptional({ format: 'uuid' }) appointmentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) patientId?: string;
  @ApiProperty({ example: '2026-11-30T09:12:00-07:00' }) createdAt: string;
  @ApiProperty({ example: 'Aurora is closed on 2026-12-24 (Staff training); the appointment at 09:00 must be moved or cancelled.' }) detail: string;
  @ApiPropertyOptional({ example: '2026-11-30T10:02:00-07:00' }) doneAt?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Absent when the service resolved the item itself' }) doneBy?: string;
  @ApiPropertyOptional() resolution?: string;
}

export function toWorklistItemResponse(item: WorklistItemEntity): WorklistItemResponse {
  return {
    id: item.id,
    kind: item.kind,
    locationId: item.locationId,
    ...(item.appointmentId ? { appointmentId: item.appointmentId } : {}),
    ...(item.patientId ? { patientId: item.patientId } : {}),
    createdAt: toClinicIso(item.createdAt),
    detail: item.detail,
    ...(item.doneAt ? { doneAt: toClinicIso(item.doneAt) } : {}),
    ...(item.doneBy ? { doneBy: item.doneBy } : {}),
    ...(item.resolution ? { resolution: item.resolution } : {}),
  };
}
