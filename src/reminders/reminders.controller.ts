import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { UuidParam } from '../common/params';
import { OutboxMessageResponse, OutboxQueryDto, ReminderResponse, toOutboxMessageResponse, toReminderResponse } from './dto/reminder.dto';
import { RemindersService } from './reminders.service';

@ApiTags('reminders')
@ApiBearerAuth()
@Controller()
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  /** The appointment's texts, by send time: planned, sent, failed, cancelled, or suppressed (no consent). */
  @Roles('front_desk', 'nurse', 'provider')
  @Get('appointments/:id/reminders')
  @ApiOkResponse({ type: [ReminderResponse] })
  async list(@UuidParam('id') id: string, @CurrentActor() actor: Actor): Promise<ReminderResponse[]> {
    return (await this.reminders.listForAppointment(id, actor)).map(toReminderResponse);
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
    const limit = query.limit ?? 100;
    const page = await this.reminders.outbox({ to: query.to, afterId: query.cursor, limit }, actor);
    if (page.length === limit) void reply.header('x-next-cursor', page[page.length - 1].id);
    return page.map(toOutboxMessageResponse);
  }
}
