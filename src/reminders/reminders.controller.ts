import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { Access, param } from '../access/access.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { sendPage } from '../common/paging';
import { UuidParam } from '../common/params';
import { OutboxMessageResponse, OutboxQueryDto, ReminderResponse } from './dto/reminder.dto';
import { RemindersService } from './reminders.service';

@ApiTags('reminders')
@ApiBearerAuth()
@Controller()
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  /** The appointment's texts, by send time: planned, sent, failed, cancelled, or suppressed (no consent). */
  @Roles('front_desk', 'nurse', 'provider')
  @Access({ appointment: param('id') })
  @Get('appointments/:id/reminders')
  @ApiOkResponse({ type: [ReminderResponse] })
  async list(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<ReminderResponse[]> {
    return this.reminders.listForAppointment(id, actor);
  }

  /** Every message handed to the SMS provider, oldest first; `x-next-cursor` carries the next page's cursor. */
  @Roles('admin')
  @Get('sms/outbox')
  @ApiOkResponse({ type: [OutboxMessageResponse] })
  async outbox(
    @Query() query: OutboxQueryDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OutboxMessageResponse[]> {
    return sendPage(reply, await this.reminders.outbox(query, actor));
  }
}
