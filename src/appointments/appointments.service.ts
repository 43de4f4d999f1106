import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditRepository } from '../audit/audit.repository';
import { Actor } from '../common/actor';
import { CLINIC_ZONE, clinicDayBounds } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { InvalidInput, NotFound, RuleViolation } from '../common/problems';
import { inTransaction, withRetries } from '../common/transaction';
import { parseOffsetDateTime } from '../common/validation';
import { AppointmentEvents } from './appointment-events';
import { AppointmentStatus } from './domain/vocabulary';
import { AppointmentEntity } from './appointment.entity';
import { AppointmentsRepository } from './appointments.repository';
import { APPOINTMENT_TYPE_DEFINITIONS } from './domain/appointment-types';
import { Booked, BookingRequest, BookingService, placementOf } from './booking.service';
import { AppointmentResponse, CreateAppointmentDto, ListAppointmentsQuery, RescheduleAppointmentDto, toAppointmentResponse } from './dto/appointment.dto';

const CANCELLABLE: readonly AppointmentStatus[] = ['scheduled', 'checked_in'];

@Injectable()
export class AppointmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly appointments: AppointmentsRepository,
    private readonly booking: BookingService,
    private readonly events: AppointmentEvents,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
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
    };
    // A type with observation time is decided under the nurse-capacity lock, which needs a transaction.
    // Otherwise the calendar read and the one INSERT statement (appointment, segments, audit entry,
    // reminder texts: atomic on its own) need none; the exclusion constraints settle any race.
    const booked =
      APPOINTMENT_TYPE_DEFINITIONS[request.type].observationFrom !== undefined
        ? await inTransaction(this.dataSource, (manager) => this.bookAndAnnounce(manager, request, actor))
        : await withRetries(() => this.bookAndAnnounce(this.dataSource.manager, request, actor));
    return toAppointmentResponse(booked.appointment, booked.segments, CLINIC_ZONE, booked.warnings);
  }

  /**
   * Books one appointment through `manager` (a transaction's, or the pool's for a booking that needs no
   * lock): the appointment, its segments, its audit entry and the listeners' companion rows (reminder
   * texts) are one statement.
   */
  async bookAndAnnounce(manager: EntityManager, request: BookingRequest, actor: Actor): Promise<Booked> {
    return this.booking.book(manager, request, actor);
  }

  async get(id: string, actor: Actor): Promise<AppointmentResponse> {
    const appointment = await this.appointments.findById(id);
    if (!appointment) throw new NotFound('Appointment', id);
    await this.audit.record(undefined, actor, 'appointment.read', 'appointment', id, { patientId: appointment.patientId });
    return this.respond(appointment);
  }

  async list(query: ListAppointmentsQuery, actor: Actor): Promise<AppointmentResponse[]> {
    let rows: AppointmentEntity[];
    if (query.locationId && query.date) {
      rows = await this.appointments.findByLocationAndSpan(query.locationId, clinicDayBounds(query.date));
    } else if (query.patientId) {
      const from = query.from ? parseOffsetDateTime(query.from) : undefined;
      const to = query.to ? parseOffsetDateTime(query.to) : undefined;
      if (from && to && to <= from) throw InvalidInput.field('to', 'to must be after from');
      rows = await this.appointments.findByPatientAndSpan(query.patientId, { start: from, end: to });
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
    const result = await inTransaction(this.dataSource, async (manager) => {
      const current = await this.appointments.findByIdForUpdate(manager, id);
      if (!current) throw new NotFound('Appointment', id);
      if (current.status !== 'scheduled') {
        throw new RuleViolation('status', `Only a scheduled appointment can be moved; this one is ${current.status}.`);
      }
      const previous = { startsAt: current.startsAt, resourceId: current.resourceId };
      const startsAt = dto.startsAt ? parseOffsetDateTime(dto.startsAt)! : current.startsAt;
      const request: BookingRequest = {
        patientId: current.patientId,
        type: current.type,
        locationId: current.locationId,
        startsAt,
        resourceId: dto.resourceId,
        providerId: current.providerId ?? undefined,
        mode: current.mode,
        durationMinutes: Math.round((current.occupancyEndsAt.getTime() - current.occupancyStartsAt.getTime()) / 60_000),
        courseId: current.courseId ?? undefined,
        sequence: current.sequence ?? undefined,
      };
      const prepared = await this.booking.prepare(manager, request);
      const { plan, warnings } = prepared;
      // Keep the resource when only the time moves, if it is free then; otherwise pick another.
      let decision = this.booking.decide({ ...request, resourceId: dto.resourceId ?? current.resourceId ?? undefined }, prepared, id);
      if (!decision.ok && !dto.resourceId && decision.rule === 'resource-overlap') {
        decision = this.booking.decide(request, prepared, id);
      }
      if (!decision.ok) throw new RuleViolation(decision.rule, decision.detail, decision.conflicts);

      await this.appointments.deleteSegments(manager, id);
      await this.appointments.updateTimes(manager, id, placementOf(plan, decision));
      const placed = await this.appointments.insertSegments(manager, id, plan.segments, decision.segmentResourceIds);
      if (!placed) {
        throw new RuleViolation('resource-overlap', 'The resource was just booked by someone else for part of that time.');
      }
      const updated = (await this.appointments.findById(id, manager))!;
      await this.events.publish(manager, 'rescheduled', updated, actor);
      await this.audit.record(manager, actor, 'appointment.reschedule', 'appointment', id, {
        patientId: updated.patientId,
        from: { startsAt: previous.startsAt.toISOString(), resourceId: previous.resourceId },
        to: { startsAt: updated.startsAt.toISOString(), resourceId: updated.resourceId },
      });
      return { appointment: updated, warnings };
    });
    return this.respond(result.appointment, result.warnings);
  }

  async cancel(id: string, reason: string, actor: Actor): Promise<AppointmentResponse> {
    const appointment = await inTransaction(this.dataSource, (manager) => this.cancelInTransaction(manager, id, reason, actor));
    return this.respond(appointment);
  }

  /** Cancels one appointment in the caller's transaction (also used when a whole course is cancelled). */
  async cancelInTransaction(manager: EntityManager, id: string, reason: string, actor: Actor): Promise<AppointmentEntity> {
    const current = await this.appointments.findByIdForUpdate(manager, id);
    if (!current) throw new NotFound('Appointment', id);
    if (!CANCELLABLE.includes(current.status)) {
      throw new RuleViolation('status', `An appointment that is ${current.status} cannot be cancelled.`);
    }
    await this.appointments.release(manager, id, 'cancelled', reason, this.clock.now());
    const cancelled = (await this.appointments.findById(id, manager))!;
    await this.events.publish(manager, 'cancelled', cancelled, actor);
    await this.audit.record(manager, actor, 'appointment.cancel', 'appointment', id, { patientId: cancelled.patientId, reason });
    return cancelled;
  }

  async noShow(id: string, actor: Actor): Promise<AppointmentResponse> {
    const appointment = await inTransaction(this.dataSource, async (manager) => {
      const current = await this.appointments.findByIdForUpdate(manager, id);
      if (!current) throw new NotFound('Appointment', id);
      if (current.status !== 'scheduled') {
        throw new RuleViolation('status', `Only a scheduled appointment can be a no-show; this one is ${current.status}.`);
      }
      if (this.clock.now() < current.startsAt) {
        throw new RuleViolation('no-show-too-early', 'A patient can be marked as a no-show only once the appointment has started.');
      }
      await this.appointments.release(manager, id, 'no_show', null, this.clock.now());
      const updated = (await this.appointments.findById(id, manager))!;
      await this.events.publish(manager, 'no_show', updated, actor);
      await this.audit.record(manager, actor, 'appointment.no-show', 'appointment', id, { patientId: updated.patientId });
      return updated;
    });
    return this.respond(appointment);
  }

  async respond(appointment: AppointmentEntity, warnings?: string[]): Promise<AppointmentResponse> {
    const segments = await this.appointments.findSegments([appointment.id]);
    return toAppointmentResponse(appointment, segments, CLINIC_ZONE, warnings);
  }
}
