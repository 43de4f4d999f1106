import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppointmentChangeEvent, AppointmentEvents, AppointmentListener, INSERTED_APPOINTMENT } from '../appointments/appointment-events';
import type { AppointmentEntity } from '../appointments/appointment.entity';
import { toClinicIso } from '../common/clinic-time';
import type { StatementPart } from '../database/statement';
import { AppointmentEventData } from './domain/events';
import { WebhookOutbox } from './webhook-outbox.service';

/** An appointment as the appointment.* events describe it: ids, type, status and times. */
export function appointmentEventData(appointment: AppointmentEntity): AppointmentEventData {
  return {
    appointmentId: appointment.id,
    patientId: appointment.patientId,
    appointmentType: appointment.type,
    status: appointment.status,
    locationId: appointment.locationId,
    resourceId: appointment.resourceId,
    providerId: appointment.providerId,
    startsAt: toClinicIso(appointment.startsAt),
    endsAt: toClinicIso(appointment.endsAt),
    courseId: appointment.courseId,
    sequence: appointment.sequence,
  };
}

/**
 * The appointment.* events: a new booking's event is written by the booking's own statement (so a TMS
 * booking, which needs no transaction, still commits its event with it), later changes in the transaction
 * that makes them.
 */
@Injectable()
export class WebhookAppointmentListener implements AppointmentListener, OnModuleInit {
  constructor(
    private readonly events: AppointmentEvents,
    private readonly outbox: WebhookOutbox,
  ) {}

  onModuleInit(): void {
    this.events.subscribe(this);
  }

  async companionsForBooking(_manager: EntityManager, draft: AppointmentEntity): Promise<StatementPart[]> {
    return this.outbox.partsOf('appointment.booked', appointmentEventData(draft), INSERTED_APPOINTMENT);
  }

  async onAppointmentChanged(manager: EntityManager, { change, appointment }: AppointmentChangeEvent): Promise<void> {
    const data = appointmentEventData(appointment);
    switch (change) {
      case 'rescheduled':
        return this.outbox.emit(manager, 'appointment.rescheduled', data);
      case 'cancelled':
        return this.outbox.emit(manager, 'appointment.cancelled', {
          ...data,
          cancelledAt: appointment.cancelledAt ? toClinicIso(appointment.cancelledAt) : null,
        });
      case 'no_show':
      case 'status':
        return this.outbox.emit(manager, 'appointment.status_changed', data);
    }
  }
}
