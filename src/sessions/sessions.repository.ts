import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AppointmentStatus } from '../appointments/domain/vocabulary';
import type { AppointmentEntity } from '../appointments/appointment.entity';
import { DoseEntity } from './dose.entity';
import { DosingClearanceEntity } from './dosing-clearance.entity';
import { SessionEventEntity, SessionEventKind } from './session-event.entity';
import { SessionFacts, toChartedReading, VITALS_JSON, VitalsJson } from './session-facts';
import { TmsRecordEntity } from './tms-record.entity';
import { VitalsEntity } from './vitals.entity';

export type NewSessionEvent = Pick<SessionEventEntity, 'appointmentId' | 'kind' | 'occurredAt' | 'recordedBy'> &
  Partial<Pick<SessionEventEntity, 'rideConfirmed' | 'rideShare' | 'escortName' | 'notes'>>;

/** Every query of the chair-side records: events, vitals, doses, clearances and TMS records. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private run(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** Everything the rules need about one session, in one round trip. */
  async loadFacts(manager: EntityManager | undefined, appointment: AppointmentEntity): Promise<SessionFacts> {
    const [row] = await this.run(manager).query(
      `SELECT
         (SELECT coalesce(json_object_agg(e.kind, json_build_object('occurredAt', e.occurred_at, 'recordedBy', e.recorded_by)), '{}')
            FROM session_events e WHERE e.appointment_id = $1) AS events,
         (SELECT json_build_object('doseMg', d.dose_mg, 'devices', d.devices, 'lotNumber', d.lot_number, 'deviceTimes', d.device_times,
                                   'administeredBy', d.administered_by, 'recordedAt', d.recorded_at)
            FROM doses d WHERE d.appointment_id = $1) AS dose,
         (SELECT coalesce(json_agg(${VITALS_JSON} ORDER BY v.taken_at, v.recorded_at), '[]') FROM vitals v WHERE v.appointment_id = $1) AS vitals,
         (SELECT coalesce(json_agg(c.vitals_id), '[]') FROM dosing_clearances c WHERE c.appointment_id = $1) AS cleared,
         EXISTS (SELECT 1 FROM tms_records t WHERE t.appointment_id = $1) AS has_tms_record,
         (SELECT p.rems_enrolled_at FROM patients p WHERE p.id = $2) AS rems_enrolled_at,
         (SELECT json_build_object('rideShareAccepted', l.ride_share_accepted, 'cadssCeiling', l.cadss_ceiling, 'dischargeMarginMinutes', l.discharge_margin_minutes)
            FROM locations l WHERE l.id = $3) AS clinic,
         (SELECT count(*)::int FROM doses d JOIN appointments a ON a.id = d.appointment_id WHERE a.patient_id = $2 AND a.id <> $1) AS other_doses`,
      [appointment.id, appointment.patientId, appointment.locationId],
    );
    const events: SessionFacts['events'] = {};
    for (const [kind, event] of Object.entries(row.events as Record<string, { occurredAt: string; recordedBy: string | null }>)) {
      events[kind as SessionEventKind] = { occurredAt: new Date(event.occurredAt), recordedBy: event.recordedBy };
    }
    const dose = row.dose
      ? { ...row.dose, deviceTimes: (row.dose.deviceTimes as string[]).map((t) => new Date(t)), recordedAt: new Date(row.dose.recordedAt) }
      : null;
    return {
      events,
      dose,
      vitals: (row.vitals as VitalsJson[]).map(toChartedReading),
      clearedReadingIds: new Set(row.cleared as string[]),
      hasTmsRecord: row.has_tms_record,
      remsEnrolledAt: row.rems_enrolled_at,
      rideShareAccepted: row.clinic?.rideShareAccepted ?? false,
      cadssCeiling: row.clinic?.cadssCeiling ?? null,
      dischargeMarginMinutes: row.clinic?.dischargeMarginMinutes ?? 10,
      otherDoses: row.other_doses,
    };
  }

  async insertEvent(manager: EntityManager, event: NewSessionEvent): Promise<void> {
    await manager.getRepository(SessionEventEntity).insert(event);
  }

  /** The one place the workflow writes to appointments: the status, and the earliest discharge once known. */
  async setStatus(manager: EntityManager, id: string, status: AppointmentStatus, earliestDischargeAt?: Date): Promise<void> {
    await manager.query(`UPDATE appointments SET status = $2, earliest_discharge_at = coalesce($3, earliest_discharge_at), updated_at = now() WHERE id = $1`, [
      id,
      status,
      earliestDischargeAt ?? null,
    ]);
  }

  insertVitals(manager: EntityManager, row: Omit<VitalsEntity, 'id'>): Promise<VitalsEntity> {
    return manager.getRepository(VitalsEntity).save(manager.getRepository(VitalsEntity).create(row));
  }

  /** Every entry of a session, corrected ones too, in the order taken. */
  findVitals(appointmentId: string): Promise<VitalsEntity[]> {
    return this.dataSource
      .getRepository(VitalsEntity)
      .createQueryBuilder('v')
      .where('v.appointmentId = :appointmentId', { appointmentId })
      .orderBy('v.takenAt', 'ASC')
      .addOrderBy('v.recordedAt', 'ASC')
      .getMany();
  }

  /** The entry that corrects `vitalsId`, if one does. */
  async findCorrectionOf(manager: EntityManager, vitalsId: string): Promise<string | undefined> {
    const [row] = await manager.query('SELECT id FROM vitals WHERE corrects_id = $1', [vitalsId]);
    return row?.id;
  }

  async insertDose(manager: EntityManager, row: Omit<DoseEntity, 'id'>): Promise<void> {
    await manager.getRepository(DoseEntity).insert(row);
  }

  insertClearance(manager: EntityManager, row: Omit<DosingClearanceEntity, 'id'>): Promise<DosingClearanceEntity> {
    return manager.getRepository(DosingClearanceEntity).save(manager.getRepository(DosingClearanceEntity).create(row));
  }

  findClearances(appointmentId: string): Promise<DosingClearanceEntity[]> {
    return this.dataSource.getRepository(DosingClearanceEntity).find({ where: { appointmentId }, order: { clearedAt: 'ASC' } });
  }

  insertTmsRecord(manager: EntityManager, row: Omit<TmsRecordEntity, 'id'>): Promise<TmsRecordEntity> {
    return manager.getRepository(TmsRecordEntity).save(manager.getRepository(TmsRecordEntity).create(row));
  }

  findTmsRecord(appointmentId: string): Promise<TmsRecordEntity | null> {
    return this.dataSource.getRepository(TmsRecordEntity).findOne({ where: { appointmentId } });
  }

  /**
   * The patient's TMS records before this session in the same course (sessions without a course count
   * as one course), and the motor threshold last measured in them.
   */
  async findEarlierTmsInCourse(
    manager: EntityManager | undefined,
    appointment: Pick<AppointmentEntity, 'id' | 'patientId' | 'courseId' | 'startsAt'>,
  ): Promise<{ records: number; lastMotorThresholdPercent: number | null }> {
    const [row] = await this.run(manager).query(
      `SELECT count(*)::int AS records,
              (array_agg(t.motor_threshold_percent ORDER BY a.starts_at DESC) FILTER (WHERE t.motor_threshold_percent IS NOT NULL))[1] AS last_mt
         FROM tms_records t JOIN appointments a ON a.id = t.appointment_id
        WHERE a.patient_id = $1 AND a.course_id IS NOT DISTINCT FROM $2 AND a.starts_at < $3 AND a.id <> $4`,
      [appointment.patientId, appointment.courseId, appointment.startsAt, appointment.id],
    );
    return { records: row.records, lastMotorThresholdPercent: row.last_mt };
  }

  /** When each course's TMS records last measured the motor threshold. */
  async findLastMotorThresholds(courseIds: string[], manager?: EntityManager): Promise<Map<string, Date>> {
    if (courseIds.length === 0) return new Map();
    const rows: Array<{ course_id: string; at: Date }> = await this.run(manager).query(
      `SELECT a.course_id, max(t.recorded_at) AS at
         FROM tms_records t JOIN appointments a ON a.id = t.appointment_id
        WHERE a.course_id = ANY($1::uuid[]) AND t.motor_threshold_percent IS NOT NULL
        GROUP BY a.course_id`,
      [courseIds],
    );
    return new Map(rows.map((r) => [r.course_id, new Date(r.at)]));
  }

  async locationExists(locationId: string): Promise<boolean> {
    const rows = await this.dataSource.query('SELECT 1 FROM locations WHERE id = $1', [locationId]);
    return rows.length > 0;
  }
}
