import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Treatment } from '../appointments/domain/vocabulary';

/** Statuses of a session still to come or under way: something booked ahead. */
const PENDING = `('scheduled', 'checked_in', 'in_treatment', 'observing')`;

export interface LastSessionRow {
  patientId: string;
  treatment: 'spravato' | 'ketamine' | 'ect';
  lastSessionAt: Date;
  sessionsDone: number;
  bookedAhead: boolean;
  courseId: string | null;
  sequence: number | null;
  protocol: string | null;
  courseStatus: string | null;
  totalSessions: number | null;
  settings: { maintenanceWeeks?: number; maintenanceEveryWeeks?: number } | null;
}

export interface TmsCourseRow {
  patientId: string;
  courseId: string;
  totalSessions: number;
  sessionsDone: number;
  bookedAhead: boolean;
  lastSessionAt: Date | null;
}

/** The read model of recalls: patients' last sessions and their TMS courses' progress, across the tables that hold them. */
@Injectable()
export class RecallsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Per patient and treatment (Spravato, ketamine, ECT) the last session done since `since`, when it was at this clinic. */
  findLastSessions(locationId: string, since: Date, treatment?: Treatment): Promise<LastSessionRow[]> {
    return this.dataSource.query(
      `WITH last AS (
         SELECT DISTINCT ON (a.patient_id, a.type) a.patient_id, a.type, a.starts_at, a.location_id, a.course_id, a.sequence
           FROM appointments a
          WHERE a.status = 'discharged' AND a.type IN ('spravato', 'ketamine', 'ect') AND a.starts_at >= $2
            AND ($3::text IS NULL OR a.type = $3)
          ORDER BY a.patient_id, a.type, a.starts_at DESC, a.id)
       SELECT last.patient_id AS "patientId", last.type AS treatment, last.starts_at AS "lastSessionAt",
              (SELECT count(*)::int FROM appointments d WHERE d.patient_id = last.patient_id AND d.type = last.type AND d.status = 'discharged') AS "sessionsDone",
              EXISTS (SELECT 1 FROM appointments f WHERE f.patient_id = last.patient_id AND f.type = last.type AND f.status IN ${PENDING}
                         AND f.starts_at > last.starts_at) AS "bookedAhead",
              last.course_id AS "courseId", last.sequence, c.protocol, c.status AS "courseStatus", c.total_sessions AS "totalSessions", c.settings
         FROM last LEFT JOIN courses c ON c.id = last.course_id
        WHERE last.location_id = $1
        ORDER BY last.starts_at, last.patient_id`,
      [locationId, since, treatment ?? null],
    );
  }

  /** The clinic's active TMS courses, with sessions done, the last of them and whether one is booked ahead. */
  findActiveTmsCourses(locationId: string): Promise<TmsCourseRow[]> {
    return this.dataSource.query(
      `SELECT c.patient_id AS "patientId", c.id AS "courseId", c.total_sessions AS "totalSessions",
              (SELECT count(*)::int FROM appointments a WHERE a.course_id = c.id AND a.status = 'discharged') AS "sessionsDone",
              (SELECT max(a.starts_at) FROM appointments a WHERE a.course_id = c.id AND a.status = 'discharged') AS "lastSessionAt",
              EXISTS (SELECT 1 FROM appointments a WHERE a.course_id = c.id AND a.status IN ${PENDING}) AS "bookedAhead"
         FROM courses c
        WHERE c.treatment = 'tms' AND c.status = 'active' AND c.location_id = $1
        ORDER BY c.start_date, c.id`,
      [locationId],
    );
  }
}
