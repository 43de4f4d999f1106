import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/paging';
import { AuditLogEntity } from '../audit-log.entity';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'patient' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;
}

export class AuditEntryResponse {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, format: 'uuid' }) actorId: string | null;
  @ApiProperty() actorRole: string;
  @ApiProperty({ example: 'patient.read' }) action: string;
  @ApiProperty() entityType: string;
  @ApiProperty({ nullable: true }) entityId: string | null;
  @ApiProperty({ nullable: true }) requestId: string | null;
  @ApiProperty({ nullable: true, type: Object }) details: Record<string, unknown> | null;
  @ApiProperty() at: string;
}

export function toAuditEntryResponse(entry: AuditLogEntity): AuditEntryResponse {
  return {
    id: entry.id,
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    requestId: entry.requestId,
    details: entry.details,
    at: entry.at.toISOString(),
  };
}
