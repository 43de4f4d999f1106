import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { AuditRepository } from './audit.repository';
import { AuditEntryResponse, AuditQueryDto, toAuditEntryResponse } from './dto/audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  /** Newest first; when more entries exist, the `x-next-cursor` header carries the cursor of the next page. */
  @Get()
  @ApiOkResponse({ type: [AuditEntryResponse] })
  async list(@Query() query: AuditQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<AuditEntryResponse[]> {
    const limit = query.limit ?? 100;
    const entries = await this.audit.findEntries({
      entityType: query.entityType,
      entityId: query.entityId,
      actorId: query.actorId,
      beforeId: query.cursor,
      limit,
    });
    if (entries.length === limit) void reply.header('x-next-cursor', entries[entries.length - 1].id);
    return entries.map(toAuditEntryResponse);
  }
}
