import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppointmentLookup } from '../appointments/appointment-lookup.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { clinicDateOf, CLINIC_ZONE } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { FieldError, InvalidInput } from '../common/problems';
import { inTransaction } from '../common/transaction';
import { parseOffsetDateTime } from '../common/validation';
import { CHARTING_STATUSES } from './domain/status-machine';
import { bpAfterDoseTiming, describeWindow } from './domain/spravato-rules';
import { stampedInFuture, vitalsErrors } from './domain/vitals';
import type { AppointmentEntity } from '../appointments/appointment.entity';
import type { SessionFacts } from './session-facts';
import { RecordVitalsDto, toVitalsResponse, VitalsResponse } from './dto/vitals.dto';
import { refuse, SessionStatus } from './session-status';
import { SessionsRepository } from './sessions.repository';

/**
 * What a Spravato session's chart must say: the 40-minute BP is taken after dosing, and outside 30–60 minutes
 * only with the reason why (it then counts all the same); the discharge vitals carry the clinician's
 * judgement of dissociation and the MOAA/S sedation score.
 */
function spravatoChartingErrors(appointment: AppointmentEntity, facts: SessionFacts, dto: RecordVitalsDto, takenAt: Date): FieldError[] {
  if (appointment.type !== 'spravato') return [];
  const errors: FieldError[] = [];
  const firstDevice = facts.dose?.deviceTimes[0];
  if (dto.timepoint === 'post_dose_40' && firstDevice) {
    const timing = bpAfterDoseTiming(takenAt, firstDevice);
    if (timing === 'before-dose') errors.push({ field: 'takenAt', message: 'a post_dose_40 reading is taken after the first device' });
    if (timing === 'outside-window' && !dto.deviationReason?.trim()) {
      errors.push({
        field: 'deviationReason',
        message: `the 40-minute blood pressure is due ${describeWindow(firstDevice, CLINIC_ZONE)}: give the reason it was taken outside that window`,
      });
    }
  }
  if (dto.timepoint === 'discharge') {
    if (dto.dissociationResolved === undefined)
      errors.push({ field: 'dissociationResolved', message: "Spravato discharge vitals record the clinician's judgement whether dissociation has resolved" });
    if (dto.sedationScore === undefined) errors.push({ field: 'sedationScore', message: 'Spravato discharge vitals assess sedation (MOAA/S)' });
  }
  return errors;
}

/** Append-only vitals: new entries and corrections, never an update. */
@Injectable()
export class VitalsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly status: SessionStatus,
    private readonly sessions: SessionsRepository,
    private readonly appointments: AppointmentLookup,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async record(appointmentId: string, dto: RecordVitalsDto, actor: Actor): Promise<VitalsResponse> {
    const errors = vitalsErrors(dto);
    if (errors.length) throw new InvalidInput(errors);
    const now = this.clock.now();
    const takenAt = dto.takenAt ? parseOffsetDateTime(dto.takenAt)! : now;
    if (stampedInFuture(takenAt, now)) throw InvalidInput.field('takenAt', 'takenAt must not be in the future');

    const entry = await inTransaction(this.dataSource, async (manager) => {
      const appointment = await this.status.lock(manager, appointmentId);
      const correcting = dto.correctsId != null;
      // A correction of the chart is possible after discharge too; new readings only during the session.
      if (!CHARTING_STATUSES.includes(appointment.status) && !(correcting && appointment.status === 'discharged')) {
        throw refuse(appointment, {
          rule: 'status',
          detail: `Vitals are recorded from check-in to discharge; this appointment is ${appointment.status}.`,
        });
      }
      if (clinicDateOf(takenAt, CLINIC_ZONE) !== clinicDateOf(appointment.startsAt, CLINIC_ZONE)) {
        throw InvalidInput.field('takenAt', `takenAt must be on the day of the appointment (${clinicDateOf(appointment.startsAt, CLINIC_ZONE)})`);
      }
      const facts = await this.sessions.loadFacts(manager, appointment);
      const spravatoErrors = spravatoChartingErrors(appointment, facts, dto, takenAt);
      if (spravatoErrors.length) throw new InvalidInput(spravatoErrors);
      if (correcting) {
        if (!facts.vitals.some((v) => v.id === dto.correctsId)) {
          throw InvalidInput.field('correctsId', 'correctsId must be a vitals entry of this appointment');
        }
        const correction = facts.vitals.find((v) => v.correctsId === dto.correctsId);
        if (correction) {
          throw refuse(appointment, {
            rule: 'already-corrected',
            detail: `That entry was already corrected by ${correction.id}; correct the latest entry instead.`,
          });
        }
      }
      const saved = await this.sessions.insertVitals(manager, {
        appointmentId,
        timepoint: dto.timepoint,
        takenAt,
        systolic: dto.systolic,
        diastolic: dto.diastolic,
        heartRate: dto.heartRate,
        spo2: dto.spo2,
        respiratoryRate: dto.respiratoryRate ?? null,
        sedationScore: dto.sedationScore ?? null,
        dissociationScore: dto.dissociationScore ?? null,
        dissociationResolved: dto.dissociationResolved ?? null,
        deviationReason: dto.deviationReason?.trim() || null,
        notes: dto.notes ?? null,
        correctsId: dto.correctsId ?? null,
        recordedBy: actor.id,
        recordedAt: now,
      });
      await this.audit.record(manager, actor, correcting ? 'session.vitals.correct' : 'session.vitals.record', 'appointment', appointmentId, {
        patientId: appointment.patientId,
        vitalsId: saved.id,
        timepoint: saved.timepoint,
        ...(correcting ? { correctsId: dto.correctsId } : {}),
      });
      return saved;
    });
    return toVitalsResponse(entry, null, CLINIC_ZONE);
  }

  /** Every entry, corrected ones included and marked, in the order taken. */
  async list(appointmentId: string, actor: Actor): Promise<VitalsResponse[]> {
    const appointment = await this.appointments.findOrFail(appointmentId);
    const entries = await this.sessions.findVitals(appointmentId);
    await this.audit.record(undefined, actor, 'session.vitals.read', 'appointment', appointmentId, { patientId: appointment.patientId });
    const correctedBy = new Map(entries.filter((e) => e.correctsId).map((e) => [e.correctsId!, e.id]));
    return entries.map((entry) => toVitalsResponse(entry, correctedBy.get(entry.id) ?? null, CLINIC_ZONE));
  }
}
