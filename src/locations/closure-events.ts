import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';

/** A closure added or lifted: a clinic and a clinic-local date. */
export interface ClosureChange {
  locationId: string;
  date: string;
  reason: string;
}

/** An appointment on a day its clinic closed: it must be moved or cancelled. */
export interface AffectedAppointment {
  appointmentId: string;
  patientId: string;
  startsAt: Date;
  type: string;
}

/**
 * What other modules do when a clinic closes on a day or opens again, in the same transaction as the
 * closure: the appointments module lists the appointments the closure affects (and puts them on the
 * worklist, their texts held) and lets them go again when the closure is lifted.
 */
export interface ClosureListener {
  /** The appointments the closure affects (none: an empty list). */
  onClosureAdded(manager: EntityManager, closure: ClosureChange, actor: Actor): Promise<AffectedAppointment[]>;
  onClosureRemoved(manager: EntityManager, closure: ClosureChange, actor: Actor): Promise<void>;
}

@Injectable()
export class ClosureEvents {
  private readonly listeners: ClosureListener[] = [];

  subscribe(listener: ClosureListener): void {
    this.listeners.push(listener);
  }

  async added(manager: EntityManager, closure: ClosureChange, actor: Actor): Promise<AffectedAppointment[]> {
    const affected: AffectedAppointment[] = [];
    for (const listener of this.listeners) affected.push(...(await listener.onClosureAdded(manager, closure, actor)));
    return affected;
  }

  async removed(manager: EntityManager, closure: ClosureChange, actor: Actor): Promise<void> {
    for (const listener of this.listeners) await listener.onClosureRemoved(manager, closure, actor);
  }
}
