import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor, clinicScope } from '../common/actor';
import { clinicDateOf } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { FieldError, InvalidInput, NotFound } from '../common/problems';
import { Page } from '../common/paging';
import { parseOffsetDateTime } from '../common/validation';
import { LocationsService } from '../locations/locations.service';
import { Treatment } from '../appointments/domain/vocabulary';
import { AuthorizationEntity } from './authorization.entity';
import { AuthorizationResponse, CreateAuthorizationDto, toAuthorizationResponse } from './dto/authorization.dto';
import { EligibilityResponse, toEligibilityResponse } from './dto/eligibility.dto';
import { CreateMedicationTrialDto, MedicationTrialResponse, toMedicationTrialResponse } from './dto/medication-trial.dto';
import { CreatePatientDto, PatientResponse, toPatientResponse, UpdatePatientDto } from './dto/patient.dto';
import { assessEligibility, DEFAULT_REQUIRED_FAILED_TRIALS, Eligibility, selectAuthorization } from './domain/eligibility';
import { PatientEntity } from './patient.entity';
import { parsePatientSearch } from './domain/patient-search';
import { NewPatient, PatientChanges, PatientSortKey, PatientsRepository } from './patients.repository';

export const DEFAULT_PAGE_SIZE = 50;
/** Non-admins search with at least this many characters. */
export const MIN_SEARCH_LENGTH = 2;

/** Audit entries of this module: entityType 'patient', entityId the patient id, never patient data. */
const ENTITY = 'patient';

export interface PatientSearchParams {
  search?: string;
  limit?: number;
  cursor?: string;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

@Injectable()
export class PatientsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly patients: PatientsRepository,
    private readonly locations: LocationsService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** Today in the clinics' calendar. */
  private today(): string {
    return clinicDateOf(this.clock.now());
  }

  /** The patient or a 404, not audited: for callers that audit their own action. */
  async findOrFail(id: string, manager?: EntityManager): Promise<PatientEntity> {
    const patient = await this.patients.findById(id, manager);
    if (!patient) throw new NotFound('Patient', id);
    return patient;
  }

  /** The patient or null, not audited: for other modules checking an id they were given. */
  find(id: string, manager?: EntityManager): Promise<PatientEntity | null> {
    return this.patients.findById(id, manager);
  }

  /**
   * The authorization that governs the patient's `treatment` now (the one eligibility names), with its
   * validity window; null when there is none.
   */
  async governingAuthorization(
    eligibility: Eligibility,
    patientId: string,
    treatment: Treatment,
    manager?: EntityManager,
  ): Promise<AuthorizationEntity | null> {
    if (!eligibility.authorization) return null;
    const rows = await this.patients.findAuthorizationsForTreatment(patientId, treatment, manager);
    return rows.find((a) => a.id === eligibility.authorization!.id) ?? null;
  }

  async read(id: string, actor: Actor): Promise<PatientResponse> {
    const patient = await this.findOrFail(id);
    await this.audit.record(undefined, actor, 'patient.read', ENTITY, id);
    return toPatientResponse(patient);
  }

  /**
   * One page of a search; every patient on it is audited as read. A non-admin searches (2 characters at
   * least: nobody pages through every patient) among the patients of their clinics only.
   */
  async search(params: PatientSearchParams, actor: Actor): Promise<Page<PatientResponse>> {
    const clinics = clinicScope(actor);
    if (clinics && (params.search ?? '').trim().length < MIN_SEARCH_LENGTH) {
      throw InvalidInput.field('search', `search must have at least ${MIN_SEARCH_LENGTH} characters (a name, phone number or date of birth)`);
    }
    const match = parsePatientSearch(params.search);
    if (match.kind === 'invalid') throw InvalidInput.field('search', match.message);
    let after: PatientSortKey | undefined;
    if (params.cursor) {
      // The cursor is the id of the previous page's last patient: opaque, and no name in a URL.
      const last = await this.patients.findById(params.cursor);
      if (!last) throw InvalidInput.field('cursor', 'cursor must be a cursor returned by a previous page');
      after = { lastName: last.lastName, firstName: last.firstName, id: last.id };
    }
    const limit = params.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.patients.search({ match, after, limit: limit + 1, clinics });
    const patients = rows.slice(0, limit);
    await this.audit.recordMany(
      undefined,
      actor,
      'patient.read',
      ENTITY,
      patients.map((p) => p.id),
    );
    return { items: patients.map(toPatientResponse), ...(rows.length > limit ? { nextCursor: patients[patients.length - 1].id } : {}) };
  }

  /**
   * A patient belongs to a clinic (who may see them follows from it): a non-admin who names none registers
   * the patient at their only clinic, and must choose one when they work at several.
   */
  async create(dto: CreatePatientDto, actor: Actor): Promise<PatientResponse> {
    const clinics = clinicScope(actor);
    if (clinics && !dto.preferredLocationId) {
      if (clinics.length !== 1) throw InvalidInput.field('preferredLocationId', 'preferredLocationId is required: choose one of your clinics');
      dto = { ...dto, preferredLocationId: clinics[0] };
    }
    const patient: NewPatient = {
      firstName: dto.firstName,
      lastName: dto.lastName,
      dateOfBirth: dto.dateOfBirth,
      phone: dto.phone,
      smsOptIn: dto.smsOptIn,
      preferredLocationId: dto.preferredLocationId ?? null,
      remsEnrolledAt: dto.remsEnrolledAt ? parseOffsetDateTime(dto.remsEnrolledAt)! : null,
      mriDate: dto.mriDate ?? null,
    };
    await this.checkPatientFields(patient);
    const created = await this.dataSource.transaction(async (manager) => {
      const created = await this.patients.insert(manager, patient);
      await this.audit.record(manager, actor, 'patient.create', ENTITY, created.id);
      return created;
    });
    return toPatientResponse(created);
  }

  /** Applies the fields given; the audit entry names the fields that changed, never their values. */
  async update(id: string, dto: UpdatePatientDto, actor: Actor): Promise<PatientResponse> {
    const given: Record<keyof NewPatient, unknown> = {
      firstName: dto.firstName,
      lastName: dto.lastName,
      dateOfBirth: dto.dateOfBirth,
      phone: dto.phone,
      smsOptIn: dto.smsOptIn,
      preferredLocationId: dto.preferredLocationId,
      remsEnrolledAt: typeof dto.remsEnrolledAt === 'string' ? parseOffsetDateTime(dto.remsEnrolledAt)! : dto.remsEnrolledAt,
      mriDate: dto.mriDate,
    };
    const requested = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as PatientChanges;
    if (Object.keys(requested).length === 0) {
      throw InvalidInput.field('body', `give at least one field to change: ${Object.keys(given).join(', ')}`);
    }
    await this.checkPatientFields(requested);
    const updated = await this.dataSource.transaction(async (manager) => {
      const current = await this.patients.findByIdForUpdate(manager, id);
      if (!current) throw new NotFound('Patient', id);
      const changed = (Object.keys(requested) as Array<keyof PatientChanges>).filter((field) => !sameValue(requested[field], current[field]));
      const changes = Object.fromEntries(changed.map((field) => [field, requested[field]])) as PatientChanges;
      const updated = changed.length ? await this.patients.update(manager, id, changes) : current;
      await this.audit.record(manager, actor, 'patient.update', ENTITY, id, { fields: changed });
      return updated;
    });
    return toPatientResponse(updated);
  }

  /** Rules a DTO cannot check alone: the clinic's today, and references to other records. */
  private async checkPatientFields(fields: PatientChanges): Promise<void> {
    const errors: FieldError[] = [];
    if (fields.dateOfBirth !== undefined && fields.dateOfBirth > this.today()) {
      errors.push({ field: 'dateOfBirth', message: 'dateOfBirth must not be in the future' });
    }
    if (fields.mriDate && fields.mriDate > this.today()) errors.push({ field: 'mriDate', message: 'mriDate is the date the MRI was done: not in the future' });
    if (fields.preferredLocationId && !(await this.locations.find(fields.preferredLocationId))) {
      errors.push({ field: 'preferredLocationId', message: 'preferredLocationId is not a known location' });
    }
    if (errors.length) throw new InvalidInput(errors);
  }

  async addMedicationTrial(patientId: string, dto: CreateMedicationTrialDto, actor: Actor): Promise<MedicationTrialResponse> {
    const trial = await this.dataSource.transaction(async (manager) => {
      await this.findOrFail(patientId, manager);
      const trial = await this.patients.insertMedicationTrial(manager, { patientId, ...dto });
      await this.audit.record(manager, actor, 'patient.medication-trial.create', ENTITY, patientId, { trialId: trial.id });
      return trial;
    });
    return toMedicationTrialResponse(trial);
  }

  async listMedicationTrials(patientId: string, actor: Actor): Promise<MedicationTrialResponse[]> {
    await this.findOrFail(patientId);
    const trials = await this.patients.findMedicationTrials(patientId);
    await this.audit.record(undefined, actor, 'patient.medication-trial.read', ENTITY, patientId, { count: trials.length });
    return trials.map(toMedicationTrialResponse);
  }

  async addAuthorization(patientId: string, dto: CreateAuthorizationDto, actor: Actor): Promise<AuthorizationResponse> {
    if (dto.validTo < dto.validFrom) throw InvalidInput.field('validTo', 'validTo must not be before validFrom');
    const authorization = await this.dataSource.transaction(async (manager) => {
      await this.findOrFail(patientId, manager);
      const authorization = await this.patients.insertAuthorization(manager, {
        patientId,
        payer: dto.payer,
        treatment: dto.treatment,
        approvedSessions: dto.approvedSessions,
        validFrom: dto.validFrom,
        validTo: dto.validTo,
        requiredFailedTrials: dto.requiredFailedTrials ?? DEFAULT_REQUIRED_FAILED_TRIALS,
      });
      await this.audit.record(manager, actor, 'patient.authorization.create', ENTITY, patientId, {
        authorizationId: authorization.id,
        treatment: authorization.treatment,
      });
      return authorization;
    });
    return toAuthorizationResponse(authorization);
  }

  async listAuthorizations(patientId: string, actor: Actor): Promise<AuthorizationResponse[]> {
    await this.findOrFail(patientId);
    const authorizations = await this.patients.findAuthorizations(patientId);
    await this.audit.record(undefined, actor, 'patient.authorization.read', ENTITY, patientId, { count: authorizations.length });
    return authorizations.map(toAuthorizationResponse);
  }

  /**
   * Eligibility for a treatment today, not audited: for modules that check it as part of their own
   * audited action (treatment courses, booking).
   */
  async evaluateEligibility(patientId: string, treatment: Treatment, manager?: EntityManager): Promise<Eligibility> {
    await this.findOrFail(patientId, manager);
    const today = this.today();
    const trials = await this.patients.findMedicationTrials(patientId, manager);
    const authorizations = await this.patients.findAuthorizationsForTreatment(patientId, treatment, manager);
    const governing = selectAuthorization(authorizations, treatment, today);
    const sessionsUsed = governing ? await this.patients.countSessionsUnderAuthorization(governing, manager) : 0;
    return assessEligibility({ treatment, trials, authorizations, sessionsUsed, today });
  }

  async readEligibility(patientId: string, treatment: Treatment, actor: Actor): Promise<EligibilityResponse> {
    const eligibility = await this.evaluateEligibility(patientId, treatment);
    await this.audit.record(undefined, actor, 'patient.eligibility.read', ENTITY, patientId, {
      treatment,
      eligible: eligibility.eligible,
    });
    return toEligibilityResponse(eligibility);
  }
}
