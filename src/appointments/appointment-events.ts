import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';
import type { StatementPart } from '../database/statement';
import type { AppointmentEntity } from './appointment.entity';

/** The CTE a booking's companions read: the appointment just inserted (empty when it was refused). */
export const INSERTED_APPOINTMENT = 'a';

/**
 * A change to an existing appointment. A new booking is not published: see companionsForBooking.
 * `reassigned`: the same time on another resource (a chair conflict resolved; the patient's time is unchanged).
 * `clinic-closed`: the clinic closed on the appointment's day, which must be moved or cancelled;
 * `clinic-reopened`: that closure was lifted.
 */
export type AppointmentChange = 'rescheduled' | 'cancelled' | 'no_show' | 'status' | 'reassigned' | 'clinic-closed' | 'clinic-reopened';

export interface AppointmentChangeEvent {
  change: AppointmentChange;
  /** The appointment as it is after the change. */
  appointment: AppointmentEntity;
  /** A move: where and when it was before (the time it freed). */
  previous?: Pick<AppointmentEntity, 'startsAt' | 'resourceId' | 'locationId'>;
  actor: Actor;
  /**
   * Set when the change is one step of a larger one that a listener makes itself (a course cancelled as a
   * whole cancels its sessions one by one): that listener leaves its own steps alone.
   */
  partOf?: 'course-cancellation';
}

/**
 * Work other modules do with appointment changes (reminder texts, course make-up sessions). Changes are
 * published inside the same transaction as the change; a listener that throws rolls it back. Listeners do
 * not depend on one another's order: each reads what it needs through the transaction's manager.
 */
export interface AppointmentListener {
  onAppointmentChanged(manager: EntityManager, event: AppointmentChangeEvent): Promise<void>;
  /**
   * Several changes that belong together (a course replanned): a listener whose work for one depends on
   * the others (a patient's once-a-day texts) handles them as one; by default, one after another.
   */
  onAppointmentsChanged?(manager: EntityManager, events: AppointmentChangeEvent[]): Promise<void>;
  /**
   * What to write with a new appointment (`draft` has its id already): parts of the booking's own INSERT
   * statement, each reading the CTE `a` (the appointment just inserted; empty when it was refused), so the
   * booking and everything it entails commit or vanish together. Reads go through `manager`.
   */
  companionsForBooking?(manager: EntityManager, draft: AppointmentEntity): Promise<StatementPart[]>;
}

@Injectable()
export class AppointmentEvents {
  private readonly listeners: AppointmentListener[] = [];

  subscribe(listener: AppointmentListener): void {
    this.listeners.push(listener);
  }

  async publish(manager: EntityManager, event: AppointmentChangeEvent): Promise<void> {
    for (const listener of this.listeners) await listener.onAppointmentChanged(manager, event);
  }

  async publishAll(manager: EntityManager, events: AppointmentChangeEvent[]): Promise<void> {
    for (const listener of this.listeners) {
      if (listener.onAppointmentsChanged) await listener.onAppointmentsChanged(manager, events);
      else for (const event of events) await listener.onAppointmentChanged(manager, event);
    }
  }

  async companionsForBooking(manager: EntityManager, draft: AppointmentEntity): Promise<StatementPart[]> {
    const all: StatementPart[] = [];
    for (const listener of this.listeners) if (listener.companionsForBooking) all.push(...(await listener.companionsForBooking(manager, draft)));
    return all;
  }
}
