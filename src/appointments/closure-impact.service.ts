import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../common/actor';
import { clinicDayBounds, CLINIC_ZONE, localParts } from '../common/clinic-time';
import { AffectedAppointment, ClosureChange, ClosureEvents, ClosureListener } from '../locations/closure-events';
import { WorklistService } from '../worklist/worklist.service';
import type { WorklistKind } from '../worklist/domain/worklist-kinds';
import { AppointmentChangeEvent, AppointmentEvents, AppointmentListener } from './appointment-events';
import { AppointmentsRepository } from './appointments.repository';
import { CalendarRepository } from './calendar.repository';

/** The worklist items an appointment's move or cancellation settles. */
const SETTLED_BY_A_MOVE: readonly WorklistKind[] = ['closure-affected', 'chair-conflict'];

/**
 * A closure added over a day that already has appointments: each is listed in the answer, put on the
 * front desk's worklist and its texts are held (the reminders module hears `clinic-closed`), until it is
 * moved or cancelled; lifting the closure lets them go again. A chair conflict (a late dose) is settled
 * the same way, when its appointment moves or is cancelled.
 */
@Injectable()
export class ClosureImpactService implements ClosureListener, AppointmentListener, OnModuleInit {
  constructor(
    private readonly closures: ClosureEvents,
    private readonly events: AppointmentEvents,
    private readonly appointments: AppointmentsRepository,
    private readonly calendars: CalendarRepository,
    private readonly worklist: WorklistService,
  ) {}

  onModuleInit(): void {
    this.closures.subscribe(this);
    this.events.subscribe(this);
  }

  async onClosureAdded(manager: EntityManager, closure: ClosureChange, actor: Actor): Promise<AffectedAppointment[]> {
    // The clinic-day's capacity lock: a treatment being booked for that day at this moment is decided before or after, not beside.
    await this.calendars.lockCapacity(manager, closure.locationId, [closure.date]);
    const appointments = await this.appointments.findActiveOnDay(manager, closure.locationId, clinicDayBounds(closure.date, CLINIC_ZONE));
    for (const appointment of appointments) {
      await this.worklist.add(manager, {
        kind: 'closure-affected',
        locationId: closure.locationId,
        appointmentId: appointment.id,
        patientId: appointment.patientId,
        detail:
          `The clinic is closed on ${closure.date} (${closure.reason}); the ${localParts(appointment.startsAt, CLINIC_ZONE).time} appointment ` +
          'must be moved or cancelled. Its reminder texts are held until then.',
        dedupeKey: `closure-affected:${appointment.id}`,
      });
      await this.events.publish(manager, { change: 'clinic-closed', appointment, actor });
    }
    return appointments.map((a) => ({ appointmentId: a.id, patientId: a.patientId, startsAt: a.startsAt, type: a.type }));
  }

  async onClosureRemoved(manager: EntityManager, closure: ClosureChange, actor: Actor): Promise<void> {
    const appointments = await this.appointments.findActiveOnDay(manager, closure.locationId, clinicDayBounds(closure.date, CLINIC_ZONE));
    for (const appointment of appointments) {
      await this.worklist.resolveForAppointment(manager, appointment.id, ['closure-affected'], `the clinic reopened on ${closure.date}`);
      await this.events.publish(manager, { change: 'clinic-reopened', appointment, actor });
    }
  }

  async onAppointmentChanged(manager: EntityManager, { change, appointment }: AppointmentChangeEvent): Promise<void> {
    if (change === 'rescheduled') await this.worklist.resolveForAppointment(manager, appointment.id, SETTLED_BY_A_MOVE, 'moved');
    if (change === 'cancelled' || change === 'no_show') {
      await this.worklist.resolveForAppointment(manager, appointment.id, SETTLED_BY_A_MOVE, change === 'cancelled' ? 'cancelled' : 'no-show');
    }
  }
}
