import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { patientVisibleSql } from './patient-visibility';

/** A thing that belongs to a clinic and a patient, as the access check needs it. */
export interface ScopedRow {
  id: string;
  locationId: string;
  /** Whether the actor's clinics may see the patient it belongs to (true when it has none). */
  patientVisible: boolean;
}

/**
 * Every clinic-scoping lookup in one place (after immich's access repository): for each kind of thing,
 * which of the given ids the given clinics may touch. Reads other modules' tables on purpose: this is
 * the one place that knows how each thing belongs to a clinic.
 */
@Injectable()
export class AccessRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The ids, of those given, of clinics that exist (an unknown one is for the service to refuse as it always has). */
  async existingLocations(ids: string[]): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await this.dataSource.query('SELECT id FROM locations WHERE id = ANY($1::uuid[])', [ids]);
    return new Set(rows.map((row) => row.id));
  }

  /** The ids, of those given, of patients the clinics may see. */
  async visiblePatients(ids: string[], clinics: readonly string[]): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT p.id FROM patients p WHERE p.id = ANY($1::uuid[]) AND ${patientVisibleSql('p.id', '$2::uuid[]')}`,
      [ids, clinics],
    );
    return new Set(rows.map((row) => row.id));
  }

  appointments(ids: string[], clinics: readonly string[]): Promise<ScopedRow[]> {
    return this.dataSource.query(
      `SELECT a.id, a.location_id AS "locationId", ${patientVisibleSql('a.patient_id', '$2::uuid[]')} AS "patientVisible"
         FROM appointments a WHERE a.id = ANY($1::uuid[])`,
      [ids, clinics],
    );
  }

  courses(ids: string[], clinics: readonly string[]): Promise<ScopedRow[]> {
    return this.dataSource.query(
      `SELECT c.id, c.location_id AS "locationId", ${patientVisibleSql('c.patient_id', '$2::uuid[]')} AS "patientVisible"
         FROM courses c WHERE c.id = ANY($1::uuid[])`,
      [ids, clinics],
    );
  }

  /** A waitlist entry names several clinics: one of the actor's when it names any, else its first. */
  waitlistEntries(ids: string[], clinics: readonly string[]): Promise<ScopedRow[]> {
    return this.dataSource.query(
      `SELECT w.id, COALESCE((SELECT l FROM unnest(w.location_ids) l WHERE l = ANY($2::uuid[]) LIMIT 1), w.location_ids[1]) AS "locationId",
              ${patientVisibleSql('w.patient_id', '$2::uuid[]')} AS "patientVisible"
         FROM waitlist_entries w WHERE w.id = ANY($1::uuid[])`,
      [ids, clinics],
    );
  }

  /** A chair, TMS device, suite or bay: its clinic decides (no patient). */
  resources(ids: string[]): Promise<ScopedRow[]> {
    return this.dataSource.query(`SELECT r.id, r.location_id AS "locationId", true AS "patientVisible" FROM resources r WHERE r.id = ANY($1::uuid[])`, [ids]);
  }

  /** A worklist item names a patient only by id; the clinic it is listed for decides. */
  worklistItems(ids: string[]): Promise<ScopedRow[]> {
    return this.dataSource.query(`SELECT w.id, w.location_id AS "locationId", true AS "patientVisible" FROM worklist_items w WHERE w.id = ANY($1::uuid[])`, [
      ids,
    ]);
  }
}
