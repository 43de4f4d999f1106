import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppointmentStatus, AppointmentType } from '../appointments/domain/vocabulary';
import { ChartedReading, toChartedReading, VITALS_JSON, VitalsJson } from './session-facts';

export interface MonitoredRow {
  appointmentId: string;
  patientId: string;
  type: AppointmentType;
  status: AppointmentStatus;
  /** Where the patient is now: the chair, or the recovery bay after ECT. */
  resourceId: string | null;
  earliestDischargeAt: Date | null;
  firstDeviceAt: Date | null;
  treatmentStartedAt: Date | null;
  vitals: ChartedReading[];
  /** The next booking that holds the same resource later. */
  nextBooking: { appointmentId: string; startsAt: Date } | null;
  /** The clinic's discharge margin. */
  dischargeMarginMinutes: number;
}

@Injectable()
export class ObservationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Patients being watched at a clinic: in observation or recovery, and ketamine infusions under way
   * (vitals every 15 minutes). With each, the resource it holds last and that resource's next booking.
   */
  async findMonitored(locationId: string): Promise<MonitoredRow[]> {
    const rows = await this.dataSource.query(
      `SELECT a.id, a.patient_id, a.type, a.status, a.earliest_discharge_at,
              (SELECT l.discharge_margin_minutes FROM locations l WHERE l.id = a.location_id) AS margin,
              coalesce(seg.resource_id, a.resource_id) AS resource_id,
              d.device_times[1] AS first_device_at,
              (SELECT e.occurred_at FROM session_events e WHERE e.appointment_id = a.id AND e.kind = 'start') AS started_at,
              nxt.appointment_id AS next_appointment_id, nxt.starts_at AS next_starts_at,
              (SELECT coalesce(json_agg(${VITALS_JSON} ORDER BY v.taken_at, v.recorded_at), '[]') FROM vitals v WHERE v.appointment_id = a.id) AS vitals
         FROM appointments a
         LEFT JOIN LATERAL (
              SELECT s.resource_id, s.starts_at FROM appointment_segments s
               WHERE s.appointment_id = a.id AND s.active ORDER BY s.starts_at DESC LIMIT 1) seg ON true
         LEFT JOIN doses d ON d.appointment_id = a.id
         LEFT JOIN LATERAL (
              SELECT s.appointment_id, s.starts_at FROM appointment_segments s JOIN appointments n ON n.id = s.appointment_id
               WHERE s.resource_id = seg.resource_id AND s.active AND s.appointment_id <> a.id AND s.starts_at >= seg.starts_at
                 AND n.status NOT IN ('cancelled', 'no_show', 'discharged')
               ORDER BY s.starts_at LIMIT 1) nxt ON true
        WHERE a.location_id = $1 AND (a.status = 'observing' OR (a.type = 'ketamine' AND a.status = 'in_treatment'))
        ORDER BY a.earliest_discharge_at NULLS LAST, a.id`,
      [locationId],
    );
    return rows.map((row: Record<string, unknown>): MonitoredRow => ({
      appointmentId: row.id as string,
      patientId: row.patient_id as string,
      type: row.type as AppointmentType,
      status: row.status as AppointmentStatus,
      resourceId: row.resource_id as string | null,
      earliestDischargeAt: row.earliest_discharge_at as Date | null,
      firstDeviceAt: row.first_device_at as Date | null,
      treatmentStartedAt: row.started_at as Date | null,
      vitals: (row.vitals as VitalsJson[]).map(toChartedReading),
      nextBooking: row.next_appointment_id ? { appointmentId: row.next_appointment_id as string, startsAt: row.next_starts_at as Date } : null,
      dischargeMarginMinutes: row.margin as number,
    }));
  }
}
