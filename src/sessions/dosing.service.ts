import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppointmentLookup } from '../appointments/appointment-lookup.service';
import { BookingService } from '../appointments/booking.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { CLINIC_ZONE, toClinicIso } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { InvalidInput } from '../common/problems';
import { inTransaction } from '../common/transaction';
import { parseOffsetDateTime } from '../common/validation';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { realOccupancyEnd } from './domain/discharge-rules';
import { remsDueAt } from './domain/rems-form';
import { overrunWarnings } from './overrun-warnings';
import { clearanceTarget, deviceTimes, doseErrors, doseRefusal, firstDoseWarning, spravatoEarliestDischarge } from './domain/spravato-rules';
import { effectiveReadings, stampedInFuture } from './domain/vitals';
import { DosedAppointmentResponse, DosingClearanceDto, DosingClearanceResponse, RecordDoseDto } from './dto/session.dto';
import { RemsRepository } from './rems/rems.repository';
import { refuse, SessionStatus } from './session-status';
import { SessionsRepository } from './sessions.repository';

const iso = (date: Date) => toClinicIso(date, CLINIC_ZONE);

/** Spravato: the provider's dosing clearance and the dose itself, under the label and REMS rules. */
@Injectable()
export class DosingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly status: SessionStatus,
    private readonly sessions: SessionsRepository,
    private readonly rems: RemsRepository,
    private readonly lookup: AppointmentLookup,
    private readonly booking: BookingService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly outbox: WebhookOutbox,
  ) {}

  /** A provider clears dosing despite the latest pre-dose BP above 140/90. */
  async clear(appointmentId: string, dto: DosingClearanceDto, actor: Actor): Promise<DosingClearanceResponse> {
    return inTransaction(this.dataSource, async (manager) => {
      const appointment = await this.status.lock(manager, appointmentId);
      // Cleared when a dose could be given next: the same statuses and treatment as the dose itself.
      this.status.next(appointment, 'dose');
      const facts = await this.sessions.loadFacts(manager, appointment);
      const target = clearanceTarget(effectiveReadings(facts.vitals));
      if ('rule' in target) throw refuse(appointment, target);
      if (facts.clearedReadingIds.has(target.reading.id)) {
        throw refuse(appointment, { rule: 'already-cleared', detail: 'Dosing is already cleared for the latest pre-dose blood pressure.' });
      }
      const clearance = await this.sessions.insertClearance(manager, {
        appointmentId,
        vitalsId: target.reading.id,
        reason: dto.reason.trim(),
        clearedBy: actor.id,
        clearedAt: this.clock.now(),
      });
      await this.audit.record(manager, actor, 'session.dosing-clearance', 'appointment', appointmentId, {
        patientId: appointment.patientId,
        vitalsId: target.reading.id,
      });
      return {
        id: clearance.id,
        appointmentId,
        vitalsId: clearance.vitalsId,
        reason: clearance.reason,
        clearedBy: clearance.clearedBy,
        clearedAt: iso(clearance.clearedAt),
      };
    });
  }

  /**
   * Records the dose (devices 5 minutes apart from administeredAt), moves the appointment to observing
   * with earliestDischargeAt = last device + 120 minutes, and opens the session's REMS form. The chair's
   * occupancy follows the real dose (last device + 120 minutes + the clinic's discharge margin): a dose
   * given late moves the chair's next booking to another chair, or puts it on the worklist.
   */
  async dose(appointmentId: string, dto: RecordDoseDto, actor: Actor): Promise<DosedAppointmentResponse> {
    const errors = doseErrors(dto.doseMg, dto.devices);
    if (errors.length) throw new InvalidInput(errors);
    const now = this.clock.now();
    const firstDevice = dto.administeredAt ? parseOffsetDateTime(dto.administeredAt)! : now;
    if (stampedInFuture(firstDevice, now)) throw InvalidInput.field('administeredAt', 'administeredAt must not be in the future');

    const { appointment, warnings, times } = await inTransaction(this.dataSource, async (manager) => {
      const current = await this.status.lock(manager, appointmentId);
      const to = this.status.next(current, 'dose');
      const facts = await this.sessions.loadFacts(manager, current);
      const checkedIn = facts.events.check_in?.occurredAt;
      if (checkedIn && firstDevice < checkedIn) {
        throw InvalidInput.field('administeredAt', `administeredAt must not be before the check-in (${iso(checkedIn)})`);
      }
      const refusal = doseRefusal({
        remsEnrolledAt: facts.remsEnrolledAt,
        now: firstDevice,
        // Only what was known when dosing began counts.
        effective: effectiveReadings(facts.vitals).filter((r) => r.takenAt <= firstDevice),
        clearedReadingIds: facts.clearedReadingIds,
      });
      if (refusal) throw refuse(current, refusal);

      const times = deviceTimes(firstDevice, dto.devices);
      const earliest = spravatoEarliestDischarge(times);
      await this.sessions.insertDose(manager, {
        appointmentId,
        doseMg: dto.doseMg,
        devices: dto.devices,
        lotNumber: dto.lotNumber,
        deviceTimes: times,
        administeredBy: actor.id,
        recordedAt: now,
      });
      const remsDue = remsDueAt(times[0], CLINIC_ZONE);
      await this.rems.insertForm(manager, appointmentId, remsDue);
      await this.outbox.emit(manager, 'rems_form.due', {
        appointmentId,
        patientId: current.patientId,
        locationId: current.locationId,
        dueAt: iso(remsDue),
      });
      const extension = await this.booking.extendOccupancy(manager, current, realOccupancyEnd(earliest, facts.dischargeMarginMinutes), actor);
      const updated = await this.status.advance(
        manager,
        current,
        to,
        actor,
        'session.dose',
        { doseMg: dto.doseMg, devices: dto.devices, earliestDischargeAt: earliest.toISOString() },
        earliest,
      );
      const warning = firstDoseWarning(dto.doseMg, facts.otherDoses);
      const warnings = [...(warning ? [warning] : []), ...overrunWarnings(extension)];
      return { appointment: updated, warnings, times };
    });
    const response = await this.lookup.respond(appointment, warnings);
    return {
      ...response,
      dose: { doseMg: dto.doseMg, devices: dto.devices, lotNumber: dto.lotNumber, deviceTimes: times.map(iso), administeredBy: actor.id },
    };
  }
}
