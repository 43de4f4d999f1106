import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AppointmentStatus } from '../../appointments/domain/vocabulary';
import type { RemsAnswers, RemsForm, RemsFormInput } from '../domain/rems-form';
import { ChartedReading, toChartedReading, VITALS_JSON, VitalsJson } from '../session-facts';
import { RemsFormEntity } from './rems-form.entity';

/** A stored form with everything it is built from (all but the clock). */
export interface StoredRemsForm extends Omit<RemsFormInput, 'now' | 'zone' | 'effective'> {
  appointmentStatus: AppointmentStatus;
  /** Every vitals entry, corrected ones too. */
  vitals: ChartedReading[];
  submittedForm: RemsForm | null;
}

export interface PendingRemsForm {
  appointmentId: string;
  patientId: string;
  locationId: string;
  appointmentStatus: AppointmentStatus;
  dosedAt: Date;
  dueAt: Date;
}

const FORM_SELECT = `
  SELECT f.appointment_id, f.due_at, f.concomitant_sedating_medications, f.respiratory_depression, f.serious_adverse_events,
         f.serious_adverse_events_description, f.ready_to_leave_at, f.vitals_acceptable_before, f.vitals_acceptable_at_end,
         f.submitted_at, f.submitted_by, f.submitted_form, sub.name AS submitted_by_name,
         a.location_id, a.patient_id, a.status, a.earliest_discharge_at, l.cadss_ceiling,
         p.first_name, p.last_name, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth,
         d.dose_mg, d.devices, d.lot_number, d.device_times,
         (SELECT e.occurred_at FROM session_events e WHERE e.appointment_id = a.id AND e.kind = 'discharge') AS discharged_at,
         (SELECT coalesce(json_agg(${VITALS_JSON} ORDER BY v.taken_at, v.recorded_at), '[]') FROM vitals v WHERE v.appointment_id = a.id) AS vitals,
         (SELECT json_build_object('reason', c.reason, 'clearedAt', c.cleared_at, 'id', c.cleared_by, 'name', s.name)
            FROM dosing_clearances c LEFT JOIN staff s ON s.id = c.cleared_by
           WHERE c.appointment_id = a.id ORDER BY c.cleared_at DESC LIMIT 1) AS clearance,
         NOT EXISTS (SELECT 1 FROM doses d2 JOIN appointments a2 ON a2.id = d2.appointment_id
                      WHERE a2.patient_id = a.patient_id AND d2.device_times[1] < d.device_times[1]) AS first_treatment
    FROM rems_forms f
    JOIN appointments a ON a.id = f.appointment_id
    JOIN patients p ON p.id = a.patient_id
    JOIN locations l ON l.id = a.location_id
    JOIN doses d ON d.appointment_id = f.appointment_id
    LEFT JOIN staff sub ON sub.id = f.submitted_by`;

function toStored(row: Record<string, any>): StoredRemsForm {
  return {
    appointmentId: row.appointment_id,
    locationId: row.location_id,
    appointmentStatus: row.status,
    patient: { id: row.patient_id, firstName: row.first_name, lastName: row.last_name, dateOfBirth: row.date_of_birth },
    firstTreatment: row.first_treatment,
    dose: { doseMg: row.dose_mg, devices: row.devices, lotNumber: row.lot_number, deviceTimes: row.device_times },
    dischargedAt: row.discharged_at,
    earliestDischargeAt: row.earliest_discharge_at,
    cadssCeiling: row.cadss_ceiling,
    vitals: (row.vitals as VitalsJson[]).map(toChartedReading),
    clearance: row.clearance
      ? { reason: row.clearance.reason, clearedAt: new Date(row.clearance.clearedAt), clearedBy: { id: row.clearance.id, name: row.clearance.name } }
      : null,
    answers: {
      concomitantSedatingMedications: row.concomitant_sedating_medications,
      respiratoryDepression: row.respiratory_depression,
      seriousAdverseEvents: row.serious_adverse_events,
      seriousAdverseEventsDescription: row.serious_adverse_events_description,
      readyToLeaveAt: row.ready_to_leave_at,
      vitalsAcceptableBefore: row.vitals_acceptable_before,
      vitalsAcceptableAtEnd: row.vitals_acceptable_at_end,
    },
    dueAt: row.due_at,
    submitted: row.submitted_at ? { at: row.submitted_at, by: { id: row.submitted_by, name: row.submitted_by_name } } : null,
    submittedForm: row.submitted_form,
  };
}

/** Every query of the REMS Patient Monitoring Forms. */
@Injectable()
export class RemsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private run(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** Opened with the dose, in the same transaction. */
  async insertForm(manager: EntityManager, appointmentId: string, dueAt: Date): Promise<void> {
    await manager.getRepository(RemsFormEntity).insert({ appointmentId, dueAt });
  }

  /** Locks the form for an edit or the submission. */
  async lockForm(manager: EntityManager, appointmentId: string): Promise<boolean> {
    const rows = await manager.query('SELECT id FROM rems_forms WHERE appointment_id = $1 FOR UPDATE', [appointmentId]);
    return rows.length > 0;
  }

  async findForm(manager: EntityManager | undefined, appointmentId: string): Promise<StoredRemsForm | null> {
    const [row] = await this.run(manager).query(`${FORM_SELECT} WHERE f.appointment_id = $1`, [appointmentId]);
    return row ? toStored(row) : null;
  }

  /** Forms of one clinic whose dose fell in [from, to), in the order of the sessions. */
  async findFormsDosedBetween(locationId: string, from: Date, to: Date): Promise<StoredRemsForm[]> {
    const rows = await this.dataSource.query(
      `${FORM_SELECT} WHERE a.location_id = $1 AND d.device_times[1] >= $2 AND d.device_times[1] < $3 ORDER BY d.device_times[1], a.id`,
      [locationId, from, to],
    );
    return rows.map(toStored);
  }

  async updateAnswers(manager: EntityManager, appointmentId: string, answers: RemsAnswers, by: string | null, at: Date): Promise<void> {
    await manager.query(
      `UPDATE rems_forms SET concomitant_sedating_medications = $2, respiratory_depression = $3, serious_adverse_events = $4,
              serious_adverse_events_description = $5, ready_to_leave_at = $6, vitals_acceptable_before = $7,
              vitals_acceptable_at_end = $8, updated_by = $9, updated_at = $10
        WHERE appointment_id = $1`,
      [
        appointmentId,
        answers.concomitantSedatingMedications,
        answers.respiratoryDepression,
        answers.seriousAdverseEvents,
        answers.seriousAdverseEventsDescription,
        answers.readyToLeaveAt,
        answers.vitalsAcceptableBefore,
        answers.vitalsAcceptableAtEnd,
        by,
        at,
      ],
    );
  }

  /** Freezes the form: after this a trigger refuses every change. */
  async markSubmitted(manager: EntityManager, appointmentId: string, by: string, at: Date, form: RemsForm): Promise<void> {
    await manager.query('UPDATE rems_forms SET submitted_by = $2, submitted_at = $3, submitted_form = $4 WHERE appointment_id = $1', [
      appointmentId,
      by,
      at,
      JSON.stringify(form),
    ]);
  }

  /** Forms not yet submitted, soonest due first; one clinic or all (of `clinics`, when given). */
  async findPending(locationId: string | undefined, clinics?: readonly string[]): Promise<PendingRemsForm[]> {
    const rows = await this.dataSource.query(
      `SELECT f.appointment_id, f.due_at, a.patient_id, a.location_id, a.status, d.device_times[1] AS dosed_at
         FROM rems_forms f
         JOIN appointments a ON a.id = f.appointment_id
         JOIN doses d ON d.appointment_id = f.appointment_id
        WHERE f.submitted_at IS NULL AND ($1::uuid IS NULL OR a.location_id = $1) AND ($2::uuid[] IS NULL OR a.location_id = ANY($2))
        ORDER BY f.due_at, f.appointment_id`,
      [locationId ?? null, clinics ?? null],
    );
    return rows.map((row: Record<string, any>) => ({
      appointmentId: row.appointment_id,
      patientId: row.patient_id,
      locationId: row.location_id,
      appointmentStatus: row.status,
      dosedAt: row.dosed_at,
      dueAt: row.due_at,
    }));
  }

  async findStaffName(manager: EntityManager, staffId: string): Promise<string> {
    const [row] = await manager.query('SELECT name FROM staff WHERE id = $1', [staffId]);
    return row?.name ?? '';
  }
}
