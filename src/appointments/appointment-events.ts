import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';
import type { AppointmentEntity } from './appointment.entity';

export type AppointmentChange = 'booked' | 'rescheduled' | 'cancelled' | 'no_show' | 'status';

/**
 * Work other modules do in the same transaction as an appointment change (reminder texts, course
 * make-up sessions). A listener that throws rolls the whole change back.
 */
export interface AppointmentListener {
  onAppointmentChanged(manager: EntityManager, change: AppointmentChange, appointment: AppointmentEntity, actor: Actor): Promise<void>;
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
}
