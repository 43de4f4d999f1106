import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { sendPage } from '../common/paging';
import { AuditTrail } from './audit-trail.service';
import { AuditEntryResponse, AuditQueryDto } from './dto/audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  /** Newest first; when more entries exist, the `x-next-cursor` header carries the cursor of the next page. */
  @Get()
  @ApiOkResponse({ type: [AuditEntryResponse] })
  async list(@Query() query: AuditQueryDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<AuditEntryResponse[]> {
    return sendPage(reply, await this.audit.read(query, actor));
  }
}
