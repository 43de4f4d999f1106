import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppointmentStatus } from '../appointments/domain/vocabulary';
import { ChartedReading, toChartedReading, VITALS_JSON, VitalsJson } from './session-facts';

/** A Spravato session that could be dosed next, with what the clearance rule reads. */
export interface DosingCandidate {
  appointmentId: string;
  status: AppointmentStatus;
  startsAt: Date;
  patient: { id: string; firstName: string; lastName: string };
  resource: { id: string; name: string } | null;
  vitals: ChartedReading[];
  clearedReadingIds: Set<string>;
}

@Injectable()
export class ClearanceQueueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The clinic's Spravato sessions starting in `span` that a dose could follow now (checked in or in
   * treatment, as the dose's own transition asks) and that have a pre-dose reading, with every reading and
   * clearance of each: the rule (readingAwaitingClearance) picks those waiting for a provider.
   */
  async findDosingCandidates(locationId: string, span: { start: Date; end: Date }): Promise<DosingCandidate[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT a.id, a.status, a.starts_at, p.id AS patient_id, p.first_name, p.last_name, r.id AS resource_id, r.name AS resource_name,
              (SELECT coalesce(json_agg(${VITALS_JSON} ORDER BY v.taken_at, v.recorded_at), '[]') FROM vitals v WHERE v.appointment_id = a.id) AS vitals,
              (SELECT coalesce(json_agg(c.vitals_id), '[]') FROM dosing_clearances c WHERE c.appointment_id = a.id) AS cleared
         FROM appointments a
         JOIN patients p ON p.id = a.patient_id
         LEFT JOIN resources r ON r.id = a.resource_id
        WHERE a.location_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3
          AND a.type = 'spravato' AND a.status IN ('checked_in', 'in_treatment')
          AND EXISTS (SELECT 1 FROM vitals v WHERE v.appointment_id = a.id AND v.timepoint = 'pre_dose')
        ORDER BY a.starts_at, a.id`,
      [locationId, span.start, span.end],
    );
    return rows.map((row) => ({
      appointmentId: row.id as string,
      status: row.status as AppointmentStatus,
      startsAt: row.starts_at as Date,
      patient: { id: row.patient_id as string, firstName: row.first_name as string, lastName: row.last_name as string },
      resource: row.resource_id ? { id: row.resource_id as string, name: row.resource_name as string } : null,
      vitals: (row.vitals as VitalsJson[]).map(toChartedReading),
      clearedReadingIds: new Set(row.cleared as string[]),
    }));
  }
}
