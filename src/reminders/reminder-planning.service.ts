import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppointmentChangeEvent, AppointmentEvents, AppointmentListener } from '../appointments/appointment-events';
import type { StatementPart } from '../database/statement';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { CLINIC_ZONE } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DEFAULT_REMINDER_POLICY, planReminders, ReminderPolicy } from './domain/reminder-planner';
import { renderReminderText } from './domain/templates';
import { ClinicContactRow, NewReminder, RemindersRepository } from './reminders.repository';

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

  async onAppointmentChanged(manager: EntityManager, { change, appointment }: AppointmentChangeEvent): Promise<void> {
    switch (change) {
      case 'rescheduled':
        return this.replan(manager, appointment);
      case 'cancelled':
      case 'no_show':
        await this.reminders.cancelOpenForAppointment(manager, appointment.id);
        return;
      case 'status':
        // Checked in, in treatment, discharged: nothing left to remind of.
        if (appointment.status !== 'scheduled') await this.reminders.cancelOpenForAppointment(manager, appointment.id);
        return;
      case 'clinic-closed':
        // No text invites the patient to a closed clinic: held until the appointment moves (re-planned) or is cancelled.
        await this.reminders.holdForAppointment(manager, appointment.id);
        return;
      case 'clinic-reopened':
        await this.reminders.releaseForAppointment(manager, appointment.id);
        return;
      case 'reassigned':
        // Another chair at the same time: nothing the patient is told changes.
        return;
    }
  }

  /**
   * Moves that belong together (a course replanned): every text still to go is cancelled first, then each
   * appointment's texts are planned from its new place, so that a patient's once-a-day text is never
   * skipped for a day another moved session held only before the move.
   */
  async onAppointmentsChanged(manager: EntityManager, events: AppointmentChangeEvent[]): Promise<void> {
    const moved = events.filter((e) => e.change === 'rescheduled');
    await this.reminders.cancelOpenForAppointments(
      manager,
      moved.map((e) => e.appointment.id),
    );
    for (const event of moved) await this.replan(manager, event.appointment);
    for (const event of events.filter((e) => e.change !== 'rescheduled')) await this.onAppointmentChanged(manager, event);
  }

  /** Clinic contact details change rarely (no API changes them): kept a minute per instance. */
  private readonly clinics = new Map<string, { contact: ClinicContactRow; until: number }>();

  /** Read on the caller's transaction: a second pool connection per booking could exhaust the pool. */
  private async clinicContact(manager: EntityManager, locationId: string): Promise<ClinicContactRow | undefined> {
    const cached = this.clinics.get(locationId);
    if (cached && cached.until > Date.now()) return cached.contact;
    const contact = await this.reminders.findClinicContact(manager, locationId);
    if (contact) this.clinics.set(locationId, { contact, until: Date.now() + 60_000 });
    return contact;
  }

  /** A new booking's texts: written by the booking's own statement (the insert reads the patient's consent). */
  async companionsForBooking(manager: EntityManager, draft: AppointmentEntity): Promise<StatementPart[]> {
    const clinic = await this.clinicContact(manager, draft.locationId);
    if (!clinic) return [];
    // Pending or suppressed is decided by the insert itself, from the patient's consent then.
    const rows = this.rowsFor(draft, clinic, 'booked', 'pending');
    return rows.length ? [this.reminders.companionInsert(rows)] : [];
  }

  /** A move cancels the texts still to go, plans anew, and is announced as a move to a patient told of the first time. */
  private async replan(manager: EntityManager, appointment: AppointmentEntity): Promise<void> {
    if (appointment.status !== 'scheduled') return;
    const context = await this.reminders.loadPlanningContext(manager, appointment, true);
    if (!context) return;
    const rows = this.rowsFor(appointment, context.clinic, context.notifiedBefore ? 'rescheduled' : 'booked', context.smsOptIn ? 'pending' : 'suppressed');
    await this.reminders.insertPlanned(manager, rows);
  }

  /**
   * The patients opted back in: each upcoming appointment of theirs gets its texts planned again (what is
   * still to come; no second confirmation). The number of appointments re-planned.
   */
  async replanForPatients(manager: EntityManager, patientIds: string[]): Promise<number> {
    const upcoming = await this.reminders.findUpcomingForPatients(manager, patientIds, this.clock.now());
    for (const appointment of upcoming) {
      const context = await this.reminders.loadPlanningContext(manager, appointment, true);
      if (!context) continue;
      await this.reminders.insertPlanned(manager, this.rowsFor(appointment, context.clinic, 'resumed', context.smsOptIn ? 'pending' : 'suppressed'));
    }
    return upcoming.length;
  }

  private rowsFor(
    appointment: Pick<AppointmentEntity, 'id' | 'patientId' | 'type' | 'startsAt' | 'mode'>,
    clinic: ClinicContactRow,
    announce: 'booked' | 'rescheduled' | 'resumed',
    status: NewReminder['status'],
  ): NewReminder[] {
    const zone = clinic.timezone || CLINIC_ZONE;
    const planned = planReminders({ type: appointment.type, startsAt: appointment.startsAt, now: this.clock.now(), zone, change: announce }, this.policy);
    return planned.map((reminder) => ({
      appointmentId: appointment.id,
      patientId: appointment.patientId,
      kind: reminder.kind,
      sendAt: reminder.sendAt,
      // Without consent nothing goes out; the plan stays visible as suppressed.
      status,
      body: renderReminderText({
        kind: reminder.kind,
        clinic,
        startsAt: appointment.startsAt,
        sendAt: reminder.sendAt,
        zone,
        preparation: this.policy.preparation[appointment.type],
        telehealth: appointment.mode === 'telehealth',
      }),
      dailyKey: reminder.dailyKey,
    }));
  }
}
