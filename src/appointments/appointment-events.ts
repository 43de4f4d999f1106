import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';
import type { AppointmentEntity } from './appointment.entity';

/** A change to an existing appointment. A new booking is not published: see companionsForBooking. */
export type AppointmentChange = 'rescheduled' | 'cancelled' | 'no_show' | 'status';

/**
 * Rows another module writes together with a new appointment, in the booking's own INSERT statement, so a
 * booking and everything it entails (reminder texts) commit or vanish together without a transaction of
 * their own. `sql` is one INSERT … SELECT that may read the CTE `a` (the appointment just inserted; empty
 * when it was refused) and whose placeholders `$1…$n` refer to `params`.
 */
export interface CompanionInsert {
  sql: string;
  params: unknown[];
}

/**
 * Work other modules do with appointment changes (reminder texts, course make-up sessions). Changes are
 * published inside the same transaction as the change; a listener that throws rolls it back.
 */
export interface AppointmentListener {
  onAppointmentChanged(manager: EntityManager, change: AppointmentChange, appointment: AppointmentEntity, actor: Actor): Promise<void>;
  /** What to write with a new appointment (`draft` has its id already); reads go through `manager`. */
  companionsForBooking?(manager: EntityManager, draft: AppointmentEntity): Promise<CompanionInsert[]>;
}

@Injectable()
export class AppointmentEvents {
  private readonly listeners: AppointmentListener[] = [];

  subscribe(listener: AppointmentListener): void {
    this.listeners.push(listener);
  }

  async publish(manager: EntityManager, change: AppointmentChange, appointment: AppointmentEntity, actor: Actor): Promise<void> {
    for (const listener of this.listeners) await listener.onAppointmentChanged(manager, change, appointment, actor);
  }

  async companionsForBooking(manager: EntityManager, draft: AppointmentEntity): Promise<CompanionInsert[]> {
    const all: CompanionInsert[] = [];
    for (const listener of this.listeners) if (listener.companionsForBooking) all.push(...(await listener.companionsForBooking(manager, draft)));
    return all;
  }
}
