import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { Access, param, query } from '../access/access.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { sendPage } from '../common/paging';
import { UuidParam } from '../common/params';
import { MarkWorklistDoneDto, WorklistItemResponse, WorklistQueryDto } from './dto/worklist.dto';
import { WorklistService } from './worklist.service';

@ApiTags('worklist')
@ApiBearerAuth()
@Controller('worklist')
export class WorklistController {
  constructor(private readonly worklist: WorklistService) {}

  /** A clinic's items, oldest first (open ones unless `status=done`); `x-next-cursor` carries the next page. */
  @Roles('front_desk', 'nurse', 'provider')
  @Access({ location: query('locationId') })
  @Get()
  @ApiOkResponse({ type: [WorklistItemResponse] })
  async list(
    @Query() listQuery: WorklistQueryDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WorklistItemResponse[]> {
    return sendPage(reply, await this.worklist.list(listQuery, actor));
  }

  @Roles('front_desk')
  @Access({ worklistItem: param('id') })
  @Post(':id/done')
  @HttpCode(200)
  @ApiOkResponse({ type: WorklistItemResponse })
  done(@UuidParam('id') id: string, @Body() dto: MarkWorklistDoneDto, @CurrentActor() actor: Actor): Promise<WorklistItemResponse> {
    return this.worklist.markDone(id, dto.resolution, actor);
  }
}
