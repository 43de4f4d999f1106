import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppointmentLookup } from '../../appointments/appointment-lookup.service';
import { AuditTrail } from '../../audit/audit-trail.service';
import { Actor, clinicScope } from '../../common/actor';
import { addDays, clinicDateOf, clinicDayBounds, CLINIC_ZONE, daysBetween, toClinicIso } from '../../common/clinic-time';
import { Clock } from '../../common/clock';
import { FieldError, InvalidInput, NotFound, RuleViolation } from '../../common/problems';
import { inTransaction } from '../../common/transaction';
import { parseOffsetDateTime } from '../../common/validation';
import { WebhookOutbox } from '../../webhooks/webhook-outbox.service';
import { remsFormsCsv } from '../domain/rems-csv';
import { buildRemsForm, missingForSubmission, RemsAnswers, REMS_CSV_MAX_DAYS, RemsForm } from '../domain/rems-form';
import { effectiveReadings } from '../domain/vitals';
import { PendingRemsFormResponse, RemsAnswersDto, RemsCsvQuery } from './dto/rems.dto';
import { RemsRepository, StoredRemsForm } from './rems.repository';

const ZONE = CLINIC_ZONE;

const text = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim() || null);
const instant = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : parseOffsetDateTime(value)!);

/** Applies the fields the request names (null clears one) to the stored answers. */
function mergeAnswers(current: RemsAnswers, dto: RemsAnswersDto): RemsAnswers {
  const pick = <K extends keyof RemsAnswers>(key: K, value: RemsAnswers[K] | undefined): RemsAnswers[K] => (value === undefined ? current[key] : value);
  return {
    concomitantSedatingMedications: pick('concomitantSedatingMedications', dto.concomitantSedatingMedications),
    respiratoryDepression: pick('respiratoryDepression', dto.respiratoryDepression),
    seriousAdverseEvents: pick('seriousAdverseEvents', dto.seriousAdverseEvents),
    seriousAdverseEventsDescription: pick('seriousAdverseEventsDescription', text(dto.seriousAdverseEventsDescription)),
    readyToLeaveAt: pick('readyToLeaveAt', instant(dto.readyToLeaveAt)),
    vitalsAcceptableBefore: pick('vitalsAcceptableBefore', dto.vitalsAcceptableBefore),
    vitalsAcceptableAtEnd: pick('vitalsAcceptableAtEnd', dto.vitalsAcceptableAtEnd),
  };
}

function answersErrors(answers: RemsAnswers, stored: StoredRemsForm, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (answers.seriousAdverseEvents && !answers.seriousAdverseEventsDescription) {
    errors.push({ field: 'seriousAdverseEventsDescription', message: 'describe the serious adverse events' });
  }
  const ready = answers.readyToLeaveAt;
  const firstDevice = stored.dose.deviceTimes[0];
  const latest = stored.dischargedAt ?? now;
  if (ready && (ready < firstDevice || ready > latest)) {
    errors.push({
      field: 'readyToLeaveAt',
      message: `readyToLeaveAt must be between the first device (${toClinicIso(firstDevice, ZONE)}) and ${stored.dischargedAt ? 'the discharge' : 'now'} (${toClinicIso(latest, ZONE)})`,
    });
  }
  return errors;
}

/** The Spravato REMS Patient Monitoring Forms: read, complete, submit, list and export. Providers only. */
@Injectable()
export class RemsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly forms: RemsRepository,
    private readonly appointments: AppointmentLookup,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly outbox: WebhookOutbox,
  ) {}

  /** The form as submitted, or as the chart and the answers make it now. */
  private present(stored: StoredRemsForm, answers = stored.answers): RemsForm {
    if (stored.submittedForm) return stored.submittedForm;
    return buildRemsForm({ ...stored, answers, effective: effectiveReadings(stored.vitals), now: this.clock.now(), zone: ZONE });
  }

  private async findOrFail(manager: EntityManager | undefined, appointmentId: string): Promise<StoredRemsForm> {
    const stored = await this.forms.findForm(manager, appointmentId);
    if (stored) return stored;
    await this.appointments.findOrFail(appointmentId, manager);
    // A form exists once a Spravato dose is recorded.
    throw new NotFound('REMS form of appointment', appointmentId);
  }

  async get(appointmentId: string, actor: Actor): Promise<RemsForm> {
    const stored = await this.findOrFail(undefined, appointmentId);
    await this.audit.record(undefined, actor, 'rems-form.read', 'appointment', appointmentId, { patientId: stored.patient.id });
    return this.present(stored);
  }

  /** Saves the provider's answers; the form stays pending. */
  async update(appointmentId: string, dto: RemsAnswersDto, actor: Actor): Promise<RemsForm> {
    return inTransaction(this.dataSource, async (manager) => {
      const { stored, answers } = await this.applyAnswers(manager, appointmentId, dto, actor);
      await this.audit.record(manager, actor, 'rems-form.update', 'appointment', appointmentId, { patientId: stored.patient.id, fields: Object.keys(dto) });
      return this.present(stored, answers);
    });
  }

  /** Takes any last answers, checks nothing is missing, and freezes the form as submitted by this provider. */
  async submit(appointmentId: string, dto: RemsAnswersDto, actor: Actor): Promise<RemsForm> {
    return inTransaction(this.dataSource, async (manager) => {
      const { stored, answers } = await this.applyAnswers(manager, appointmentId, dto, actor);
      const missing = missingForSubmission(this.present(stored, answers));
      if (missing.length) {
        throw new RuleViolation('rems-form-incomplete', `The form cannot be submitted yet; missing: ${missing.join(', ')}.`, undefined, { missing });
      }
      const now = this.clock.now();
      const by = { id: actor.id!, name: await this.forms.findStaffName(manager, actor.id!) };
      const form = buildRemsForm({ ...stored, answers, submitted: { at: now, by }, effective: effectiveReadings(stored.vitals), now, zone: ZONE });
      await this.forms.markSubmitted(manager, appointmentId, by.id, now, form);
      await this.audit.record(manager, actor, 'rems-form.submit', 'appointment', appointmentId, { patientId: stored.patient.id, overdue: form.overdue });
      await this.outbox.emit(manager, 'rems_form.submitted', {
        appointmentId,
        patientId: stored.patient.id,
        locationId: stored.locationId,
        submittedAt: toClinicIso(now, ZONE),
        overdue: form.overdue,
      });
      return form;
    });
  }

  private async applyAnswers(
    manager: EntityManager,
    appointmentId: string,
    dto: RemsAnswersDto,
    actor: Actor,
  ): Promise<{ stored: StoredRemsForm; answers: RemsAnswers }> {
    if (!(await this.forms.lockForm(manager, appointmentId))) await this.findOrFail(manager, appointmentId);
    const stored = (await this.forms.findForm(manager, appointmentId))!;
    if (stored.submitted) {
      throw new RuleViolation('rems-form-submitted', `The form was submitted on ${toClinicIso(stored.submitted.at, ZONE)} and can no longer change.`);
    }
    const answers = mergeAnswers(stored.answers, dto);
    const errors = answersErrors(answers, stored, this.clock.now());
    if (errors.length) throw new InvalidInput(errors);
    if (Object.values(dto).some((value) => value !== undefined)) {
      await this.forms.updateAnswers(manager, appointmentId, answers, actor.id, this.clock.now());
    }
    return { stored, answers };
  }

  async pending(locationId: string | undefined, actor: Actor): Promise<PendingRemsFormResponse[]> {
    const now = this.clock.now();
    const rows = await this.forms.findPending(locationId, clinicScope(actor));
    await this.audit.recordMany(
      undefined,
      actor,
      'rems-form.list',
      'appointment',
      rows.map((r) => r.appointmentId),
    );
    return rows.map((row) => ({
      appointmentId: row.appointmentId,
      patientId: row.patientId,
      locationId: row.locationId,
      appointmentStatus: row.appointmentStatus,
      sessionDate: clinicDateOf(row.dosedAt, ZONE),
      dosedAt: toClinicIso(row.dosedAt, ZONE),
      dueAt: toClinicIso(row.dueAt, ZONE),
      overdue: now > row.dueAt,
    }));
  }

  /** Every form (pending and submitted) of a clinic's sessions between two local dates, as CSV. */
  async csv(query: RemsCsvQuery, actor: Actor): Promise<string> {
    if (query.to < query.from) throw InvalidInput.field('to', 'to must not be before from');
    if (daysBetween(query.from, query.to) >= REMS_CSV_MAX_DAYS) throw InvalidInput.field('to', `at most ${REMS_CSV_MAX_DAYS} days`);
    const from = clinicDayBounds(query.from, ZONE).start;
    const to = clinicDayBounds(addDays(query.to, 1), ZONE).start;
    const stored = await this.forms.findFormsDosedBetween(query.locationId, from, to);
    await this.audit.recordMany(
      undefined,
      actor,
      'rems-form.export',
      'appointment',
      stored.map((s) => s.appointmentId),
    );
    return remsFormsCsv(stored.map((s) => this.present(s)));
  }
}
