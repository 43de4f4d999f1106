import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { preparedQuery } from '../database/prepared-query';
import { INSERTED_APPOINTMENT } from './appointment-events';
import { SqlParams, StatementPart } from '../database/statement';
import { appointmentFromJson, segmentFromJson } from './appointment-rows';
import { AppointmentSegmentEntity } from './appointment-segment.entity';
import { AppointmentEntity } from './appointment.entity';
import type { PlannedSegment } from './domain/appointment-types';
import type { DailyLimitGroup } from './domain/treatment-frequency';
import type { AppointmentType, VisitMode } from './domain/vocabulary';

export interface NewAppointment {
  /** Chosen by the service, so that companion rows can be planned before the insert. */
  id: string;
  patientId: string;
  type: AppointmentType;
  mode: VisitMode;
  locationId: string;
  resourceId: string | null;
  providerId: string | null;
  startsAt: Date;
  endsAt: Date;
  occupancyStartsAt: Date;
  occupancyEndsAt: Date;
  observationStartsAt: Date | null;
  observationEndsAt: Date | null;
  courseId: string | null;
  sequence: number | null;
  /** The local date and group of the patient's daily treatment limit (uq_appointments_patient_treatment_day). */
  treatmentDay: string | null;
  dayGroup: DailyLimitGroup | null;
  createdBy: string | null;
}

const kindOf = (segment: PlannedSegment) => segment.kind;
const startOf = (segment: PlannedSegment) => segment.start;
const endOf = (segment: PlannedSegment) => segment.end;

export { INSERTED_APPOINTMENT };

/**
 * Writes a new appointment and everything that comes with it in one statement: the appointment, its
 * segments, and the parts other modules contribute (its audit entry, its reminder texts), each a CTE that
 * reads `a`, the appointment just inserted. No transaction is needed for it to be atomic.
 */
@Injectable()
export class BookingWriter {
  /**
   * Inserts with ON CONFLICT DO NOTHING against the exclusion constraints and the daily-limit index, so a
   * concurrent loser waits only for the winner's commit. Undefined when the patient, the patient's daily
   * treatment or the provider is taken; when a segment's resource is
   * taken the whole statement fails with SQLSTATE CL001 (clinic_refuse_if), so an appointment never stands
   * without its segments.
   */
  async insert(
    manager: EntityManager,
    row: NewAppointment,
    segments: PlannedSegment[],
    resourceIds: string[],
    companions: StatementPart[],
  ): Promise<{ appointment: AppointmentEntity; segments: AppointmentSegmentEntity[] } | undefined> {
    const p = new SqlParams();
    const appointment = [
      p.add(row.id, 'uuid'),
      p.add(row.patientId, 'uuid'),
      p.add(row.type),
      p.add(row.mode),
      p.add(row.locationId, 'uuid'),
      p.add(row.resourceId, 'uuid'),
      p.add(row.providerId, 'uuid'),
      p.add(row.startsAt, 'timestamptz'),
      p.add(row.endsAt, 'timestamptz'),
      p.add(row.occupancyStartsAt, 'timestamptz'),
      p.add(row.occupancyEndsAt, 'timestamptz'),
      p.add(row.observationStartsAt, 'timestamptz'),
      p.add(row.observationEndsAt, 'timestamptz'),
      p.add(row.courseId, 'uuid'),
      p.add(row.sequence, 'int'),
      p.add(row.treatmentDay, 'date'),
      p.add(row.dayGroup, 'varchar'),
      p.add(row.createdBy, 'uuid'),
    ];
    const segmentColumns = [
      p.add(resourceIds, 'uuid[]'),
      p.add(segments.map(kindOf), 'varchar[]'),
      p.add(segments.map(startOf), 'timestamptz[]'),
      p.add(segments.map(endOf), 'timestamptz[]'),
    ];
    const segmentCount = p.add(segments.length, 'int');
    const parts = companions.map((part, index) => `, companion_${index} AS (${part.sql(p)})`);
    // Prepared (planned once per connection): planning this statement cost about as much as running it.
    // Its text varies only with the companions' shapes, so each connection holds a handful.
    const [result] = await preparedQuery<Record<string, any>>(
      manager,
      `WITH ${INSERTED_APPOINTMENT} AS (
         INSERT INTO appointments (id, patient_id, type, mode, location_id, resource_id, provider_id, starts_at, ends_at,
                                   occupancy_starts_at, occupancy_ends_at, observation_starts_at, observation_ends_at,
                                   course_id, sequence, treatment_day, day_group, created_by)
         VALUES (${appointment.join(', ')})
         ON CONFLICT DO NOTHING
         RETURNING *
       ), s AS (
         INSERT INTO appointment_segments (appointment_id, resource_id, kind, starts_at, ends_at)
         SELECT a.id, t.r, t.k, t.s, t.e FROM ${INSERTED_APPOINTMENT} a, unnest(${segmentColumns.join(', ')}) AS t(r, k, s, e)
         ON CONFLICT DO NOTHING
         RETURNING *
       )${parts.join('')}
       SELECT (SELECT row_to_json(a) FROM ${INSERTED_APPOINTMENT} a) AS appointment,
              (SELECT coalesce(json_agg(s ORDER BY s.starts_at), '[]') FROM s) AS segments,
              clinic_refuse_if(EXISTS (SELECT 1 FROM ${INSERTED_APPOINTMENT}) AND (SELECT count(*) FROM s) < ${segmentCount}, 'resource-overlap') AS placed`,
      p.list,
    );
    if (!result.appointment) return undefined;
    return { appointment: appointmentFromJson(result.appointment), segments: (result.segments as Record<string, unknown>[]).map(segmentFromJson) };
  }
}
