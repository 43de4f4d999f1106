import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor, clinicScope } from '../common/actor';
import { CLINIC_ZONE, clinicDayBounds } from '../common/clinic-time';
import { Forbidden, InvalidInput } from '../common/problems';
import { inTransaction } from '../common/transaction';
import { parseOffsetDateTime } from '../common/validation';
import { AppointmentLookup } from './appointment-lookup.service';
import { AppointmentEntity } from './appointment.entity';
import { AppointmentsRepository } from './appointments.repository';
import { AppointmentStatusChanges } from './appointment-status.service';
import { BookingOverride, BookingRequest, BookingService } from './booking.service';
import { AppointmentResponse, CreateAppointmentDto, ListAppointmentsQuery, RescheduleAppointmentDto, toAppointmentResponse } from './dto/appointment.dto';

/** Roles that may book past a rule a provider may override (a third Spravato in 7 days, the authorization). */
const OVERRIDERS: readonly string[] = ['provider', 'admin'];

function overrideOf(dto: { override?: { reason: string } }, actor: Actor): BookingOverride | undefined {
  if (!dto.override) return undefined;
  if (!OVERRIDERS.includes(actor.role)) throw new Forbidden('Only a provider or an admin may override a treatment-frequency or authorization limit.');
  return { reason: dto.override.reason.trim() };
}

/** The appointments API: each request in its own transaction, through the booking service's rules. */
@Injectable()
export class AppointmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appointments: AppointmentsRepository,
    private readonly booking: BookingService,
    private readonly statuses: AppointmentStatusChanges,
    private readonly lookup: AppointmentLookup,
    private readonly audit: AuditTrail,
  ) {}

  async create(dto: CreateAppointmentDto, actor: Actor): Promise<AppointmentResponse> {
    const request: BookingRequest = {
      patientId: dto.patientId,
      type: dto.type,
      locationId: dto.locationId,
      startsAt: parseOffsetDateTime(dto.startsAt)!,
      resourceId: dto.resourceId,
      providerId: dto.providerId,
      mode: dto.mode,
      durationMinutes: dto.durationMinutes,
      courseId: dto.courseId,
      override: overrideOf(dto, actor),
    };
    const booked = await this.booking.bookAlone(request, actor);
    return toAppointmentResponse(booked.appointment, booked.segments, CLINIC_ZONE, booked.warnings);
  }

  async get(id: string, actor: Actor): Promise<AppointmentResponse> {
    const appointment = await this.lookup.findOrFail(id);
    await this.audit.record(undefined, actor, 'appointment.read', 'appointment', id, { patientId: appointment.patientId });
    return this.lookup.respond(appointment);
  }

  async list(query: ListAppointmentsQuery, actor: Actor): Promise<AppointmentResponse[]> {
    let rows: AppointmentEntity[];
    if (query.locationId && query.date) {
      rows = await this.appointments.findByLocationAndSpan(query.locationId, clinicDayBounds(query.date));
      const patientIds = [...new Set(rows.map((row) => row.patientId))];
      // The board shows each patient's name: brought with the day (one query), not read patient by patient.
      const [segments, names] = await Promise.all([this.appointments.findSegments(rows.map((r) => r.id)), this.appointments.findPatientNames(patientIds)]);
      // A day list shows whose appointments these are, by name: one entry per patient on it.
      await this.audit.recordMany(undefined, actor, 'appointments.day-list.read', 'patient', patientIds, {
        locationId: query.locationId,
        date: query.date,
        names: true,
      });
      return rows.map((row) => ({ ...toAppointmentResponse(row, segments, CLINIC_ZONE), patient: names.get(row.patientId) }));
    } else if (query.patientId) {
      const from = query.from ? parseOffsetDateTime(query.from) : undefined;
      const to = query.to ? parseOffsetDateTime(query.to) : undefined;
      if (from && to && to <= from) throw InvalidInput.field('to', 'to must be after from');
      // The patient's appointments at the actor's clinics (the guard has checked the patient is theirs to see).
      const scope = clinicScope(actor);
      rows = (await this.appointments.findByPatientAndSpan(query.patientId, { start: from, end: to })).filter(
        (row) => !scope || scope.includes(row.locationId),
      );
      await this.audit.record(undefined, actor, 'patient.appointments.read', 'patient', query.patientId, { count: rows.length });
    } else {
      throw new InvalidInput([
        { field: query.locationId ? 'date' : 'locationId', message: 'give locationId and date, or patientId (with optional from and to)' },
      ]);
    }
    const segments = await this.appointments.findSegments(rows.map((r) => r.id));
    return rows.map((row) => toAppointmentResponse(row, segments, CLINIC_ZONE));
  }

  async reschedule(id: string, dto: RescheduleAppointmentDto, actor: Actor): Promise<AppointmentResponse> {
    if (dto.startsAt === undefined && dto.resourceId === undefined) {
      throw InvalidInput.field('startsAt', 'give startsAt, resourceId or both');
    }
    const change = { startsAt: dto.startsAt ? parseOffsetDateTime(dto.startsAt)! : undefined, resourceId: dto.resourceId };
    const override = overrideOf(dto, actor);
    const result = await inTransaction(this.dataSource, (manager) => this.booking.reschedule(manager, id, change, actor, { override }));
    return this.lookup.respond(result.appointment, result.warnings);
  }

  async cancel(id: string, reason: string, actor: Actor): Promise<AppointmentResponse> {
    const appointment = await inTransaction(this.dataSource, (manager) => this.statuses.cancel(manager, id, reason, actor));
    return this.lookup.respond(appointment);
  }

  async noShow(id: string, reason: string | null, actor: Actor): Promise<AppointmentResponse> {
    const appointment = await inTransaction(this.dataSource, (manager) => this.statuses.markNoShow(manager, id, actor, reason));
    return this.lookup.respond(appointment);
  }
}
