import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CLINIC_ZONE } from '../common/clinic-time';
import type { Interval } from './domain/appointment-types';
import { NotFound } from '../common/problems';
import { AppointmentEntity } from './appointment.entity';
import { AppointmentsRepository, HeldTime, HeldTimesFilter } from './appointments.repository';

export type { HeldTime, HeldTimesFilter };
import { AppointmentResponse, toAppointmentResponse } from './dto/appointment.dto';

/** How other modules read an appointment: find it, lock it for a change, and answer with it. */
@Injectable()
export class AppointmentLookup {
  constructor(private readonly appointments: AppointmentsRepository) {}

  find(id: string, manager?: EntityManager): Promise<AppointmentEntity | null> {
    return this.appointments.findById(id, manager);
  }

  async findOrFail(id: string, manager?: EntityManager): Promise<AppointmentEntity> {
    const appointment = await this.appointments.findById(id, manager);
    if (!appointment) throw new NotFound('Appointment', id);
    return appointment;
  }

  /** Locks the row for a status change or a reschedule (404 when there is none). */
  async lockOrFail(manager: EntityManager, id: string): Promise<AppointmentEntity> {
    const appointment = await this.appointments.findByIdForUpdate(manager, id);
    if (!appointment) throw new NotFound('Appointment', id);
    return appointment;
  }

  /** The appointment as the API answers with it (segments included). */
  async respond(appointment: AppointmentEntity, warnings?: string[], manager?: EntityManager): Promise<AppointmentResponse> {
    const segments = await this.appointments.findSegments([appointment.id], manager);
    return toAppointmentResponse(appointment, segments, CLINIC_ZONE, warnings);
  }

  /** A clinic's appointments starting in `span`, by start, as the API answers them (not audited: callers audit their own read). */
  async listAtLocation(locationId: string, span: Interval): Promise<AppointmentResponse[]> {
    return this.withSegments(await this.appointments.findByLocationAndSpan(locationId, span));
  }

  /** A patient's appointments starting in `span` (either end open), by start (not audited: callers audit their own read). */
  async listForPatient(patientId: string, span: Partial<Interval>): Promise<AppointmentResponse[]> {
    return this.withSegments(await this.appointments.findByPatientAndSpan(patientId, span));
  }

  private async withSegments(rows: AppointmentEntity[]): Promise<AppointmentResponse[]> {
    const segments = await this.appointments.findSegments(rows.map((row) => row.id));
    return rows.map((row) => toAppointmentResponse(row, segments, CLINIC_ZONE));
  }

  /** What active appointments hold in `span` (per segment; ids and times only), for calendar feeds. */
  heldTimes(filter: HeldTimesFilter, span: Interval): Promise<HeldTime[]> {
    return this.appointments.findHeldTimes(filter, span);
  }
}
