import { Injectable } from '@nestjs/common';
import { AppointmentLookup } from '../appointments/appointment-lookup.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { RemindersRepository } from './reminders.repository';
import { DEFAULT_PAGE_LIMIT, Page, pageOf } from '../common/paging';
import { OutboxMessageResponse, OutboxQueryDto, ReminderResponse, toOutboxMessageResponse, toReminderResponse } from './dto/reminder.dto';
import { SmsMessagesRepository } from './sms-messages.repository';

/** Reading the texts: an appointment's reminders, and the outbox. Both are patient data and audited. */
@Injectable()
export class RemindersService {
  constructor(
    private readonly appointments: AppointmentLookup,
    private readonly reminders: RemindersRepository,
    private readonly messages: SmsMessagesRepository,
    private readonly audit: AuditTrail,
  ) {}

  async listForAppointment(appointmentId: string, actor: Actor): Promise<ReminderResponse[]> {
    const appointment = await this.appointments.findOrFail(appointmentId);
    const reminders = await this.reminders.findByAppointment(appointmentId);
    await this.audit.record(undefined, actor, 'appointment.reminders.read', 'appointment', appointmentId, { patientId: appointment.patientId });
    return reminders.map(toReminderResponse);
  }

  /** A page of every message handed to the SMS provider, oldest first. */
  async outbox(query: OutboxQueryDto, actor: Actor): Promise<Page<OutboxMessageResponse>> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const rows = await this.messages.findPage({ to: query.to, afterId: query.cursor, limit });
    await this.audit.record(undefined, actor, 'sms.outbox.read', 'sms_message', null, { filtered: query.to !== undefined, count: rows.length });
    return pageOf(rows.map(toOutboxMessageResponse), limit, (last) => last.id);
  }
}
