import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { AppointmentLookup } from '../appointments/appointment-lookup.service';
import { BookingService } from '../appointments/booking.service';
import { AppointmentResponse } from '../appointments/dto/appointment.dto';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { clinicDateOf, CLINIC_ZONE, toClinicIso } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { InvalidInput } from '../common/problems';
import { inTransaction } from '../common/transaction';
import { dischargeRefusals, realOccupancyEnd, recoveryEarliestDischarge } from './domain/discharge-rules';
import { overrunWarnings } from './overrun-warnings';
import { nextVitalsDueAt } from './domain/monitoring';
import { isFirstSessionOfCourse, tmsErrors } from './domain/tms-rules';
import { effectiveReadings } from './domain/vitals';
import { DischargeDto, SessionResponse, TmsRecordDto, TmsRecordResponse } from './dto/session.dto';
import { SessionFacts } from './session-facts';
import { refuse, SessionStatus } from './session-status';
import { SessionsRepository } from './sessions.repository';
import { TmsRecordEntity } from './tms-record.entity';

const ZONE = CLINIC_ZONE;
const iso = (date: Date) => toClinicIso(date, ZONE);

/** Check-in, start, end of treatment, discharge and the TMS record: the steps at the chair. */
@Injectable()
export class SessionWorkflowService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly status: SessionStatus,
    private readonly sessions: SessionsRepository,
    private readonly lookup: AppointmentLookup,
    private readonly booking: BookingService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** scheduled → checked_in, on the appointment's clinic-local day only. */
  async checkIn(id: string, actor: Actor): Promise<AppointmentResponse> {
    const updated = await inTransaction(this.dataSource, async (manager) => {
      const appointment = await this.status.lock(manager, id);
      const to = this.status.next(appointment, 'check_in');
      const now = this.clock.now();
      const day = clinicDateOf(appointment.startsAt, ZONE);
      if (clinicDateOf(now, ZONE) !== day) {
        throw refuse(appointment, { rule: 'check-in-day', detail: `Check-in is possible only on the day of the appointment (${day}).` });
      }
      await this.sessions.insertEvent(manager, { appointmentId: id, kind: 'check_in', occurredAt: now, recordedBy: actor.id });
      return this.status.advance(manager, appointment, to, actor, 'session.check-in');
    });
    return this.lookup.respond(updated);
  }

  /** checked_in → in_treatment: the ketamine infusion, the ECT treatment or the TMS session starts. */
  async start(id: string, actor: Actor): Promise<AppointmentResponse> {
    const updated = await inTransaction(this.dataSource, async (manager) => {
      const appointment = await this.status.lock(manager, id);
      const to = this.status.next(appointment, 'start');
      await this.sessions.insertEvent(manager, { appointmentId: id, kind: 'start', occurredAt: this.clock.now(), recordedBy: actor.id });
      return this.status.advance(manager, appointment, to, actor, 'session.start');
    });
    return this.lookup.respond(updated);
  }

  /**
   * Ketamine: the infusion ends; ECT: the patient moves to the recovery bay. in_treatment → observing. A
   * treatment that ran late holds its chair or bay longer: the occupancy follows (see BookingService.extendOccupancy).
   */
  async endTreatment(id: string, actor: Actor): Promise<AppointmentResponse> {
    const { updated, warnings } = await inTransaction(this.dataSource, async (manager) => {
      const appointment = await this.status.lock(manager, id);
      const to = this.status.next(appointment, 'treatment_end');
      const now = this.clock.now();
      const earliest = recoveryEarliestDischarge(appointment.type as 'ketamine' | 'ect', now);
      await this.sessions.insertEvent(manager, { appointmentId: id, kind: 'treatment_end', occurredAt: now, recordedBy: actor.id });
      const facts = await this.sessions.loadFacts(manager, appointment);
      const extension = await this.booking.extendOccupancy(manager, appointment, realOccupancyEnd(earliest, facts.dischargeMarginMinutes), actor);
      const updated = await this.status.advance(
        manager,
        appointment,
        to,
        actor,
        'session.treatment-end',
        { earliestDischargeAt: earliest.toISOString() },
        earliest,
      );
      return { updated, warnings: overrunWarnings(extension) };
    });
    return this.lookup.respond(updated, warnings);
  }

  /** → discharged, once every condition of the treatment is met (all unmet ones are listed in the 409). */
  async discharge(id: string, dto: DischargeDto, actor: Actor): Promise<AppointmentResponse> {
    const updated = await inTransaction(this.dataSource, async (manager) => {
      const appointment = await this.status.lock(manager, id);
      const to = this.status.next(appointment, 'discharge');
      const now = this.clock.now();
      const facts = await this.sessions.loadFacts(manager, appointment);
      const refusals = dischargeRefusals({
        type: appointment.type,
        now,
        earliestDischargeAt: appointment.earliestDischargeAt,
        firstDeviceAt: facts.dose?.deviceTimes[0] ?? null,
        effective: effectiveReadings(facts.vitals),
        ride: dto,
        rideShareAccepted: facts.rideShareAccepted,
        cadssCeiling: facts.cadssCeiling,
        hasTmsRecord: facts.hasTmsRecord,
        zone: ZONE,
      });
      if (refusals.length) throw refuse(appointment, refusals[0], refusals);
      await this.sessions.insertEvent(manager, {
        appointmentId: id,
        kind: 'discharge',
        occurredAt: now,
        recordedBy: actor.id,
        rideConfirmed: dto.rideConfirmed ?? null,
        rideShare: dto.rideShare ?? null,
        escortName: dto.escortName?.trim() || null,
        notes: dto.notes ?? null,
      });
      return this.status.advance(manager, appointment, to, actor, 'session.discharge', { rideConfirmed: dto.rideConfirmed ?? null });
    });
    return this.lookup.respond(updated);
  }

  /** The TMS session record; the first session of a course must carry the motor threshold. */
  async recordTms(id: string, dto: TmsRecordDto, actor: Actor): Promise<TmsRecordResponse> {
    const errors = tmsErrors(dto);
    if (errors.length) throw new InvalidInput(errors);
    return inTransaction(this.dataSource, async (manager) => {
      const appointment = await this.status.lock(manager, id);
      if (appointment.type !== 'tms') throw refuse(appointment, { rule: 'treatment-type', detail: `A ${appointment.type} appointment has no TMS record.` });
      if (appointment.status !== 'in_treatment') {
        throw refuse(appointment, { rule: 'status', detail: `Record a TMS session once it has started; this one is ${appointment.status}.` });
      }
      const facts = await this.sessions.loadFacts(manager, appointment);
      if (facts.hasTmsRecord) throw refuse(appointment, { rule: 'tms-record-exists', detail: 'This session already has its TMS record.' });
      const earlier = await this.sessions.findEarlierTmsInCourse(manager, appointment);
      if (dto.motorThresholdPercent == null && isFirstSessionOfCourse(appointment.sequence, earlier.records)) {
        throw refuse(appointment, { rule: 'motor-threshold-required', detail: 'The first session of a TMS course must record the motor threshold.' });
      }
      const record = await this.sessions.insertTmsRecord(manager, {
        appointmentId: id,
        motorThresholdPercent: dto.motorThresholdPercent ?? null,
        intensityPercent: dto.intensityPercent,
        pulses: dto.pulses,
        coilPosition: dto.coilPosition ?? null,
        recordedBy: actor.id,
        recordedAt: this.clock.now(),
      });
      await this.audit.record(manager, actor, 'session.tms-record', 'appointment', id, { patientId: appointment.patientId, tmsRecordId: record.id });
      return toTmsRecordResponse(record, record.motorThresholdPercent ?? earlier.lastMotorThresholdPercent);
    });
  }

  /** Everything charted about the session's steps, for the nurse's tablet. */
  async summary(id: string, actor: Actor): Promise<SessionResponse> {
    const appointment = await this.lookup.findOrFail(id);
    const [facts, clearances, tms, earlierTms] = await Promise.all([
      this.sessions.loadFacts(undefined, appointment),
      this.sessions.findClearances(id),
      this.sessions.findTmsRecord(id),
      appointment.type === 'tms' ? this.sessions.findEarlierTmsInCourse(undefined, appointment) : undefined,
    ]);
    await this.audit.record(undefined, actor, 'session.read', 'appointment', id, { patientId: appointment.patientId });
    const step = (kind: keyof typeof facts.events) => {
      const event = facts.events[kind];
      return event ? { at: iso(event.occurredAt), by: event.recordedBy } : null;
    };
    return {
      appointmentId: id,
      type: appointment.type,
      status: appointment.status,
      checkedIn: step('check_in'),
      started: step('start'),
      treatmentEnded: step('treatment_end'),
      discharged: step('discharge'),
      earliestDischargeAt: appointment.earliestDischargeAt ? iso(appointment.earliestDischargeAt) : null,
      nextVitalsDueAt: this.nextVitalsDue(appointment, facts),
      dose: facts.dose
        ? {
            doseMg: facts.dose.doseMg,
            devices: facts.dose.devices,
            lotNumber: facts.dose.lotNumber,
            deviceTimes: facts.dose.deviceTimes.map(iso),
            administeredBy: facts.dose.administeredBy,
          }
        : null,
      dosingClearances: clearances.map((c) => ({
        id: c.id,
        appointmentId: id,
        vitalsId: c.vitalsId,
        reason: c.reason,
        clearedBy: c.clearedBy,
        clearedAt: iso(c.clearedAt),
      })),
      tmsRecord: tms ? toTmsRecordResponse(tms, tms.motorThresholdPercent ?? earlierTms?.lastMotorThresholdPercent ?? null) : null,
    };
  }

  private nextVitalsDue(appointment: AppointmentEntity, facts: SessionFacts): string | null {
    if (appointment.status !== 'observing' && appointment.status !== 'in_treatment') return null;
    const due = nextVitalsDueAt({
      type: appointment.type,
      status: appointment.status,
      earliestDischargeAt: appointment.earliestDischargeAt,
      firstDeviceAt: facts.dose?.deviceTimes[0] ?? null,
      treatmentStartedAt: facts.events.start?.occurredAt ?? null,
      effective: effectiveReadings(facts.vitals),
    });
    return due ? iso(due) : null;
  }
}

function toTmsRecordResponse(record: TmsRecordEntity, motorThresholdInEffect: number | null): TmsRecordResponse {
  return {
    id: record.id,
    appointmentId: record.appointmentId,
    motorThresholdPercent: record.motorThresholdPercent,
    motorThresholdInEffect,
    intensityPercent: record.intensityPercent,
    pulses: record.pulses,
    coilPosition: record.coilPosition,
    recordedBy: record.recordedBy,
    recordedAt: iso(record.recordedAt),
  };
}
