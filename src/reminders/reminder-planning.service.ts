import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppointmentChange, AppointmentEvents, AppointmentListener } from '../appointments/appointment-events';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { CLINIC_ZONE } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DEFAULT_REMINDER_POLICY, planReminders, ReminderPolicy } from './domain/reminder-planner';
import { renderReminderText } from './domain/templates';
import { NewReminder, RemindersRepository } from './reminders.repository';

/**
 * Plans, re-plans and cancels an appointment's texts in the same transaction as the change itself:
 * a booking that rolls back leaves no texts behind.
 */
@Injectable()
export class ReminderPlanningService implements AppointmentListener, OnModuleInit {
  readonly policy: ReminderPolicy;

  constructor(
    private readonly events: AppointmentEvents,
    private readonly reminders: RemindersRepository,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.policy = {
      ...DEFAULT_REMINDER_POLICY,
      offsetsHours: config.reminderOffsetsHours ?? DEFAULT_REMINDER_POLICY.offsetsHours,
      eveningBeforeAt: config.reminderEveningBeforeAt ?? DEFAULT_REMINDER_POLICY.eveningBeforeAt,
    };
  }

  onModuleInit(): void {
    this.events.subscribe(this);
  }

  async onAppointmentChanged(manager: EntityManager, change: AppointmentChange, appointment: AppointmentEntity): Promise<void> {
    switch (change) {
      case 'booked':
        return this.plan(manager, appointment, 'booked');
      case 'rescheduled':
        return this.plan(manager, appointment, 'rescheduled');
      case 'cancelled':
      case 'no_show':
        await this.reminders.cancelOpenForAppointment(manager, appointment.id);
        return;
      case 'status':
        // Checked in, in treatment, discharged: nothing left to remind of.
        if (appointment.status !== 'scheduled') await this.reminders.cancelOpenForAppointment(manager, appointment.id);
        return;
    }
  }

  private async plan(manager: EntityManager, appointment: AppointmentEntity, change: 'booked' | 'rescheduled'): Promise<void> {
    const context = await this.reminders.loadPlanningContext(manager, appointment, change === 'rescheduled');
    if (!context || appointment.status !== 'scheduled') return;
    const zone = context.clinic.timezone || CLINIC_ZONE;
    // A move is news only to a patient who was told of the first time; otherwise it is a booking confirmation.
    const announce = change === 'rescheduled' && context.notifiedBefore ? 'rescheduled' : 'booked';
    const planned = planReminders({ type: appointment.type, startsAt: appointment.startsAt, now: this.clock.now(), zone, change: announce }, this.policy);
    const rows: NewReminder[] = planned.map((reminder) => ({
      appointmentId: appointment.id,
      patientId: appointment.patientId,
      kind: reminder.kind,
      sendAt: reminder.sendAt,
      // Without consent nothing goes out; the plan stays visible as suppressed.
      status: context.smsOptIn ? 'pending' : 'suppressed',
      body: renderReminderText({
        kind: reminder.kind,
        clinic: context.clinic,
        startsAt: appointment.startsAt,
        sendAt: reminder.sendAt,
        zone,
        preparation: this.policy.preparation[appointment.type],
        telehealth: appointment.mode === 'telehealth',
      }),
      dailyKey: reminder.dailyKey,
    }));
    await this.reminders.insertPlanned(manager, rows);
  }
}
