import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { RuleViolation } from '../common/problems';
import { AppointmentChangeEvent, AppointmentEvents } from './appointment-events';
import { AppointmentLookup } from './appointment-lookup.service';
import { AppointmentEntity } from './appointment.entity';
import { AppointmentsRepository } from './appointments.repository';
import { AppointmentStatus } from './domain/vocabulary';

const CANCELLABLE: readonly AppointmentStatus[] = ['scheduled', 'checked_in'];

/**
 * What happens to a booked appointment short of moving it, inside the caller's transaction: the patient
 * confirms or asks to move it by text, the clinic cancels it, the patient does not come. Each is audited
 * and published to the appointment's listeners (texts, waitlist, webhooks).
 */
@Injectable()
export class AppointmentStatusChanges {
  constructor(
    private readonly appointments: AppointmentsRepository,
    private readonly lookup: AppointmentLookup,
    private readonly events: AppointmentEvents,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** The patient confirmed by text (audited); false when it was confirmed before. Only a scheduled appointment that has not started. */
  async confirm(manager: EntityManager, id: string, actor: Actor): Promise<{ appointment: AppointmentEntity; changed: boolean }> {
    const current = await this.upcomingOrFail(manager, id);
    const changed = await this.appointments.markConfirmed(manager, id, this.clock.now());
    if (changed) await this.audit.record(manager, actor, 'appointment.confirm', 'appointment', id, { patientId: current.patientId });
    return { appointment: await this.lookup.findOrFail(id, manager), changed };
  }

  /** The patient asked by text to move it (audited); false when they had asked before. */
  async requestReschedule(manager: EntityManager, id: string, actor: Actor): Promise<{ appointment: AppointmentEntity; changed: boolean }> {
    const current = await this.upcomingOrFail(manager, id);
    const changed = await this.appointments.markRescheduleRequested(manager, id, this.clock.now());
    if (changed) await this.audit.record(manager, actor, 'appointment.reschedule-request', 'appointment', id, { patientId: current.patientId });
    return { appointment: await this.lookup.findOrFail(id, manager), changed };
  }

  private async upcomingOrFail(manager: EntityManager, id: string): Promise<AppointmentEntity> {
    const current = await this.lookup.lockOrFail(manager, id);
    if (current.status !== 'scheduled') throw new RuleViolation('status', `The appointment is ${current.status}.`);
    if (current.startsAt <= this.clock.now()) throw new RuleViolation('status', 'The appointment has started.');
    return current;
  }

  /** Cancels one appointment in the caller's transaction (also each session of a course cancelled as a whole). */
  async cancel(manager: EntityManager, id: string, reason: string, actor: Actor, partOf?: AppointmentChangeEvent['partOf']): Promise<AppointmentEntity> {
    const current = await this.lookup.lockOrFail(manager, id);
    if (!CANCELLABLE.includes(current.status)) throw new RuleViolation('status', `An appointment that is ${current.status} cannot be cancelled.`);
    await this.appointments.release(manager, id, 'cancelled', reason, this.clock.now());
    const cancelled = await this.lookup.findOrFail(id, manager);
    await this.events.publish(manager, { change: 'cancelled', appointment: cancelled, actor, partOf });
    await this.audit.record(manager, actor, 'appointment.cancel', 'appointment', id, { patientId: cancelled.patientId, reason });
    return cancelled;
  }

  /** The patient did not come: the appointment releases what it held (only once it has started). */
  async markNoShow(manager: EntityManager, id: string, actor: Actor, reason: string | null = null): Promise<AppointmentEntity> {
    const current = await this.lookup.lockOrFail(manager, id);
    if (current.status !== 'scheduled') throw new RuleViolation('status', `Only a scheduled appointment can be a no-show; this one is ${current.status}.`);
    if (this.clock.now() < current.startsAt) {
      throw new RuleViolation('no-show-too-early', 'A patient can be marked as a no-show only once the appointment has started.');
    }
    await this.appointments.release(manager, id, 'no_show', reason, this.clock.now());
    const updated = await this.lookup.findOrFail(id, manager);
    await this.events.publish(manager, { change: 'no_show', appointment: updated, actor });
    await this.audit.record(manager, actor, 'appointment.no-show', 'appointment', id, { patientId: updated.patientId });
    return updated;
  }
}
