import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RELEASED_STATUSES } from '../appointments/domain/vocabulary';
import { CLINIC_ZONE } from '../common/clinic-time';
import { Treatment } from '../appointments/domain/vocabulary';
import { AuthorizationEntity } from './authorization.entity';
import { TrialOutcome } from './domain/medication-trials';
import { MedicationTrialEntity } from './medication-trial.entity';
import { PatientEntity } from './patient.entity';
import { PatientMatch } from './domain/patient-search';
import { patientVisibleSql } from '../access/patient-visibility';

export interface NewPatient {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  phone: string;
  smsOptIn: boolean;
  preferredLocationId: string | null;
  remsEnrolledAt: Date | null;
  mriDate: string | null;
}

export type PatientChanges = Partial<NewPatient>;

export interface NewMedicationTrial {
  patientId: string;
  medication: string;
  drugClass: string;
  startedOn: string;
  weeks: number;
  adequate: boolean;
  outcome: TrialOutcome;
}

export interface NewAuthorization {
  patientId: string;
  payer: string;
  treatment: Treatment;
  approvedSessions: number;
  validFrom: string;
  validTo: string;
  requiredFailedTrials: number;
}

/** The sort key of the last patient of a page: the next page starts after it. */
export interface PatientSortKey {
  lastName: string;
  firstName: string;
  id: string;
}

export interface PatientSearch {
  match: Exclude<PatientMatch, { kind: 'invalid' }>;
  after?: PatientSortKey;
  limit: number;
  /** Only patients these clinics may see (undefined: every patient, for admins). */
  clinics?: readonly string[];
}

@Injectable()
export class PatientsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<PatientEntity | null> {
    return manager.getRepository(PatientEntity).findOne({ where: { id } });
  }

  /** Locks the row for the rest of the caller's transaction, so concurrent updates apply in turn. */
  findByIdForUpdate(manager: EntityManager, id: string): Promise<PatientEntity | null> {
    return manager.getRepository(PatientEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** One page, ordered by last name, first name and id (keyset paging: stable while rows are added). */
  search({ match, after, limit, clinics }: PatientSearch): Promise<PatientEntity[]> {
    const qb = this.dataSource.getRepository(PatientEntity).createQueryBuilder('p');
    if (clinics) qb.andWhere(patientVisibleSql('p.id', 'CAST(:clinics AS uuid[])'), { clinics });
    switch (match.kind) {
      case 'name':
        qb.andWhere(
          `(p.first_name || ' ' || p.last_name ILIKE :pattern
            OR p.last_name || ', ' || p.first_name ILIKE :pattern
            OR p.last_name || ' ' || p.first_name ILIKE :pattern)`,
          { pattern: match.pattern },
        );
        break;
      case 'phone':
        qb.andWhere('p.phone = :phone', { phone: match.phone });
        break;
      case 'dateOfBirth':
        qb.andWhere('p.date_of_birth = :date', { date: match.date });
        break;
      case 'all':
        break;
    }
    if (after) {
      qb.andWhere('(p.last_name, p.first_name, p.id) > (:afterLast, :afterFirst, :afterId)', {
        afterLast: after.lastName,
        afterFirst: after.firstName,
        afterId: after.id,
      });
    }
    return qb.orderBy('p.lastName', 'ASC').addOrderBy('p.firstName', 'ASC').addOrderBy('p.id', 'ASC').limit(limit).getMany();
  }

  async insert(manager: EntityManager, patient: NewPatient): Promise<PatientEntity> {
    const repository = manager.getRepository(PatientEntity);
    return repository.save(repository.create(patient));
  }

  async update(manager: EntityManager, id: string, changes: PatientChanges): Promise<PatientEntity> {
    const repository = manager.getRepository(PatientEntity);
    await repository.update({ id }, changes);
    return repository.findOneOrFail({ where: { id } });
  }

  findMedicationTrials(patientId: string, manager: EntityManager = this.dataSource.manager): Promise<MedicationTrialEntity[]> {
    return manager.getRepository(MedicationTrialEntity).find({ where: { patientId }, order: { startedOn: 'ASC', createdAt: 'ASC', id: 'ASC' } });
  }

  insertMedicationTrial(manager: EntityManager, trial: NewMedicationTrial): Promise<MedicationTrialEntity> {
    const repository = manager.getRepository(MedicationTrialEntity);
    return repository.save(repository.create(trial));
  }

  findAuthorizations(patientId: string): Promise<AuthorizationEntity[]> {
    return this.dataSource.getRepository(AuthorizationEntity).find({ where: { patientId }, order: { validFrom: 'ASC', treatment: 'ASC', id: 'ASC' } });
  }

  findAuthorizationsForTreatment(patientId: string, treatment: Treatment, manager: EntityManager = this.dataSource.manager): Promise<AuthorizationEntity[]> {
    return manager.getRepository(AuthorizationEntity).find({ where: { patientId, treatment }, order: { validFrom: 'ASC', id: 'ASC' } });
  }

  insertAuthorization(manager: EntityManager, authorization: NewAuthorization): Promise<AuthorizationEntity> {
    const repository = manager.getRepository(AuthorizationEntity);
    return repository.save(repository.create(authorization));
  }

  /**
   * Treatment sessions booked or held under an authorization: appointments of that treatment for the
   * patient, not cancelled or no-show, starting on a clinic-local day from validFrom to validTo
   * inclusive. Future bookings count: they already spend approved sessions.
   */
  async countSessionsUnderAuthorization(
    authorization: Pick<AuthorizationEntity, 'patientId' | 'treatment' | 'validFrom' | 'validTo'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const [row] = await manager.query(
      `SELECT count(*)::int AS used
         FROM appointments
        WHERE patient_id = $1
          AND type = $2
          AND status <> ALL ($3::varchar[])
          AND starts_at >= ($4::date)::timestamp AT TIME ZONE $6
          AND starts_at < ($5::date + 1)::timestamp AT TIME ZONE $6`,
      [authorization.patientId, authorization.treatment, RELEASED_STATUSES, authorization.validFrom, authorization.validTo, CLINIC_ZONE],
    );
    return row.used;
  }
}
