import { Injectable } from '@nestjs/common';
import { AppointmentsRepository } from '../appointments/appointments.repository';
import { AuditRepository } from '../audit/audit.repository';
import { Actor } from '../common/actor';
import { NotFound } from '../common/problems';
import { ReminderEntity } from './reminder.entity';
import { RemindersRepository } from './reminders.repository';
import { SmsMessageEntity } from './sms-message.entity';
import { OutboxQuery, SmsMessagesRepository } from './sms-messages.repository';

/** Reading the texts: an appointment's reminders, and the outbox. Both are patient data and audited. */
@Injectable()
export class RemindersService {
  constructor(
    private readonly appointments: AppointmentsRepository,
    private readonly reminders: RemindersRepository,
    private readonly messages: SmsMessagesRepository,
    private readonly audit: AuditRepository,
  ) {}

  async listForAppointment(appointmentId: string, actor: Actor): Promise<ReminderEntity[]> {
    const appointment = await this.appointments.findById(appointmentId);
    if (!appointment) throw new NotFound('Appointment', appointmentId);
    const reminders = await this.reminders.findByAppointment(appointmentId);
    await this.audit.record(undefined, actor, 'appointment.reminders.read', 'appointment', appointmentId, { patientId: appointment.patientId });
    return reminders;
  }

  async outbox(query: OutboxQuery, actor: Actor): Promise<SmsMessageEntity[]> {
    const page = await this.messages.findPage(query);
    await this.audit.record(undefined, actor, 'sms.outbox.read', 'sms_message', null, { filtered: query.to !== undefined, count: page.length });
    return page;
  }
}
