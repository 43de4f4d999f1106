import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { batchLimit } from '../database/batch-limit';
import { returnedRows } from '../database/returned-rows';
import type { SqlParams, StatementPart } from '../database/statement';
import type { AppointmentType, VisitMode } from '../appointments/domain/vocabulary';
import { ReminderEntity, ReminderStatus } from './reminder.entity';

export interface NewReminder {
  appointmentId: string;
  patientId: string;
  kind: string;
  sendAt: Date;
  status: Extract<ReminderStatus, 'pending' | 'suppressed'>;
  body: string;
  dailyKey: string | null;
}

export interface UpcomingAppointment {
  id: string;
  patientId: string;
  locationId: string;
  type: AppointmentType;
  mode: VisitMode;
  startsAt: Date;
}

export type ClinicContactRow = { name: string; address: string; phone: string; timezone: string };

export interface PlanningContext {
  smsOptIn: boolean;
  /** Whether a text about this appointment has gone out already (a move is then announced as a move). */
  notifiedBefore: boolean;
  clinic: { name: string; address: string; phone: string; timezone: string };
}

/** A reminder claimed for sending, with the patient's current number and consent. */
export interface ClaimedReminder {
  id: string;
  body: string;
  attempts: number;
  /** The appointment's start: a text claimed after it is too late to send. */
  startsAt: Date;
  phone: string;
  smsOptIn: boolean;
}

/** What a try that did not end in "sent" leaves behind. */
export interface ReminderOutcome {
  id: string;
  status: Extract<ReminderStatus, 'pending' | 'failed' | 'cancelled'>;
  error: string;
  nextAttemptAt: Date | null;
  /** Whether the try reached the provider and failed (its outbox row is marked failed, so a retry may send). */
  providerFailed: boolean;
}

/** Statuses of texts still to go (or held, or never to go for want of consent): what re-planning and cancelling replace. */
const CANCELLABLE = `('pending', 'suppressed', 'held')`;

@Injectable()
export class RemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The patient's consent and the clinic's contact details, in one round trip; first cancels the
   * appointment's open reminders when asked (a data-modifying CTE always runs, whether read or not).
   */
  async loadPlanningContext(
    manager: EntityManager,
    appointment: { id: string; patientId: string; locationId: string },
    cancelOpenReminders: boolean,
  ): Promise<PlanningContext | undefined> {
    const [row] = await manager.query(
      `WITH cancelled AS (
         UPDATE reminders SET status = 'cancelled', lease_until = NULL
          WHERE $4::boolean AND appointment_id = $1 AND status IN ${CANCELLABLE})
       SELECT p.sms_opt_in AS "smsOptIn",
              json_build_object('name', l.name, 'address', l.address, 'phone', l.phone, 'timezone', l.timezone) AS clinic,
              EXISTS (SELECT 1 FROM reminders r WHERE r.appointment_id = $1 AND r.status = 'sent') AS "notifiedBefore"
         FROM patients p, locations l
        WHERE p.id = $2 AND l.id = $3`,
      [appointment.id, appointment.patientId, appointment.locationId, cancelOpenReminders],
    );
    return row ? { smsOptIn: row.smsOptIn, notifiedBefore: row.notifiedBefore, clinic: row.clinic } : undefined;
  }

  /**
   * One INSERT for all of an appointment's reminders. A once-a-day text on a date that already has one
   * for the patient (uq_reminders_patient_daily) is skipped.
   */
  async insertPlanned(manager: EntityManager, rows: NewReminder[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await manager.query(
      `INSERT INTO reminders (appointment_id, patient_id, kind, send_at, status, body, daily_key)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::timestamptz[], $5::varchar[], $6::text[], $7::date[])
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        rows.map((r) => r.appointmentId),
        rows.map((r) => r.patientId),
        rows.map((r) => r.kind),
        rows.map((r) => r.sendAt),
        rows.map((r) => r.status),
        rows.map((r) => r.body),
        rows.map((r) => r.dailyKey),
      ],
    );
    return inserted.length;
  }

  /**
   * A new appointment's texts as a companion of the booking's own INSERT (a part of the booking's statement: see AppointmentListener.companionsForBooking): rows only
   * when the appointment was inserted, pending or suppressed by the patient's consent.
   */
  companionInsert(rows: Array<Omit<NewReminder, 'status'>>): StatementPart {
    return {
      sql: (p: SqlParams) =>
        `INSERT INTO reminders (appointment_id, patient_id, kind, send_at, status, body, daily_key)
         SELECT a.id, a.patient_id, t.k, t.s, CASE WHEN pt.sms_opt_in THEN 'pending' ELSE 'suppressed' END, t.b, t.d
           FROM a JOIN patients pt ON pt.id = a.patient_id,
                unnest(${p.add(
                  rows.map((r) => r.kind),
                  'varchar[]',
                )}, ${p.add(
                  rows.map((r) => r.sendAt),
                  'timestamptz[]',
                )},
                       ${p.add(
                         rows.map((r) => r.body),
                         'text[]',
                       )}, ${p.add(
                         rows.map((r) => r.dailyKey),
                         'date[]',
                       )}) AS t(k, s, b, d)
         ON CONFLICT DO NOTHING`,
    };
  }

  /** The patients' scheduled appointments that have not started yet. */
  async findUpcomingForPatients(manager: EntityManager, patientIds: string[], now: Date): Promise<UpcomingAppointment[]> {
    const rows = await manager.query(
      `SELECT id, patient_id AS "patientId", location_id AS "locationId", type, mode, starts_at AS "startsAt"
         FROM appointments WHERE patient_id = ANY($1::uuid[]) AND status = 'scheduled' AND starts_at > $2
        ORDER BY starts_at`,
      [patientIds, now],
    );
    return rows.map((r: UpcomingAppointment) => ({ ...r, startsAt: new Date(r.startsAt) }));
  }

  /** A clinic's name, address, phone and zone, as texts quote them. */
  async findClinicContact(manager: EntityManager, locationId: string): Promise<ClinicContactRow | undefined> {
    const [row] = await manager.query('SELECT name, address, phone, timezone FROM locations WHERE id = $1', [locationId]);
    return row;
  }

  /** The appointment is cancelled, a no-show or under way: its texts still to go out are cancelled. */
  async cancelOpenForAppointment(manager: EntityManager, appointmentId: string): Promise<number> {
    const result = await manager.query(
      `UPDATE reminders SET status = 'cancelled', lease_until = NULL WHERE appointment_id = $1 AND status IN ${CANCELLABLE} RETURNING id`,
      [appointmentId],
    );
    return returnedRows(result).length;
  }

  /** The clinic closed on the appointment's day: its texts still to go are held (not sent) until it moves or the clinic reopens. */
  async holdForAppointment(manager: EntityManager, appointmentId: string): Promise<number> {
    const result = await manager.query(
      `UPDATE reminders SET status = 'held', lease_until = NULL WHERE appointment_id = $1 AND status = 'pending' RETURNING id`,
      [appointmentId],
    );
    return returnedRows(result).length;
  }

  /**
   * The clinic reopened: the appointment's held texts go out again as planned (the dispatcher's rules still
   * apply: quiet hours, never after the start). A once-a-day text whose day now has another is cancelled.
   */
  async releaseForAppointment(manager: EntityManager, appointmentId: string): Promise<number> {
    const result = await manager.query(
      `UPDATE reminders r
          SET status = CASE WHEN r.daily_key IS NOT NULL AND EXISTS (
                              SELECT 1 FROM reminders o WHERE o.patient_id = r.patient_id AND o.daily_key = r.daily_key
                                 AND o.status IN ('pending', 'sent') AND o.id <> r.id)
                            THEN 'cancelled' ELSE 'pending' END
        WHERE r.appointment_id = $1 AND r.status = 'held'
        RETURNING r.id`,
      [appointmentId],
    );
    return returnedRows(result).length;
  }

  /** The appointments' texts still to go are cancelled (before their new texts are planned: a course replanned). */
  async cancelOpenForAppointments(manager: EntityManager, appointmentIds: string[]): Promise<void> {
    if (appointmentIds.length === 0) return;
    await manager.query(`UPDATE reminders SET status = 'cancelled', lease_until = NULL WHERE appointment_id = ANY($1::uuid[]) AND status IN ${CANCELLABLE}`, [
      appointmentIds,
    ]);
  }

  /** The patients withdrew consent: every pending text of theirs is cancelled. */
  async cancelPendingForPatients(manager: EntityManager, patientIds: string[]): Promise<number> {
    if (patientIds.length === 0) return 0;
    const result = await manager.query(
      `UPDATE reminders SET status = 'cancelled', lease_until = NULL, last_error = 'the patient opted out'
        WHERE patient_id = ANY($1::uuid[]) AND status = 'pending'
        RETURNING id`,
      [patientIds],
    );
    return returnedRows(result).length;
  }

  findByAppointment(appointmentId: string): Promise<ReminderEntity[]> {
    return this.dataSource
      .getRepository(ReminderEntity)
      .createQueryBuilder('r')
      .where('r.appointmentId = :appointmentId', { appointmentId })
      .orderBy('r.sendAt', 'ASC')
      .addOrderBy('r.createdAt', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
  }

  /**
   * Claims up to `batchSize` due reminders for this instance: a lease of `leaseSeconds`, one more
   * attempt. SKIP LOCKED lets any number of instances claim at once without waiting on or taking
   * each other's rows; an expired lease (a crashed instance) makes a row claimable again.
   * The batch size is a literal (`batchLimit`: a bound LIMIT made the generic plan scan every reminder).
   */
  async claimDueReminders(batchSize: number, instanceId: string, now: Date, leaseSeconds: number): Promise<ClaimedReminder[]> {
    const result = await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM reminders
          WHERE status = 'pending' AND send_at <= $1
            AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
            AND (lease_until IS NULL OR lease_until < $1)
          ORDER BY send_at
          ${batchLimit(batchSize)}
          FOR UPDATE SKIP LOCKED)
       UPDATE reminders r
          SET lease_until = $1::timestamptz + make_interval(secs => $3), claimed_by = $2, attempts = r.attempts + 1
         FROM due, patients p, appointments a
        WHERE r.id = due.id AND p.id = r.patient_id AND a.id = r.appointment_id
       RETURNING r.id, r.body, r.attempts, a.starts_at AS "startsAt", p.phone, p.sms_opt_in AS "smsOptIn"`,
      [now, instanceId, leaseSeconds],
    );
    return returnedRows<ClaimedReminder>(result);
  }

  /**
   * Marks reminders and their outbox rows sent, in one statement. A reminder cancelled while it was
   * being sent keeps its status (the outbox shows the truth); a once-a-day text never becomes a second
   * sent text of its day.
   */
  async recordSent(results: Array<{ id: string; providerMessageId: string }>, now: Date): Promise<void> {
    if (results.length === 0) return;
    await this.dataSource.query(
      `WITH result AS (SELECT * FROM unnest($1::uuid[], $2::varchar[]) AS t(id, sid)),
       outbox AS (
         UPDATE sms_messages m SET status = 'sent', provider_message_id = result.sid, sent_at = coalesce(m.sent_at, $3), last_error = NULL, updated_at = now()
           FROM result WHERE m.idempotency_key = 'reminder:' || result.id
         RETURNING m.id)
       UPDATE reminders r
          SET status = CASE
                WHEN r.status = 'pending' THEN 'sent'
                WHEN r.status = 'failed' AND (r.daily_key IS NULL OR NOT EXISTS (
                  SELECT 1 FROM reminders o WHERE o.patient_id = r.patient_id AND o.daily_key = r.daily_key AND o.status IN ('pending', 'sent') AND o.id <> r.id))
                THEN 'sent'
                ELSE r.status END,
              provider_message_id = result.sid, sent_at = $3, lease_until = NULL, next_attempt_at = NULL, last_error = NULL
         FROM result
        WHERE r.id = result.id`,
      [results.map((r) => r.id), results.map((r) => r.providerMessageId), now],
    );
  }

  /** Records tries that did not send: a retry later, failed for good, or cancelled (no consent any more). */
  async recordOutcomes(outcomes: ReminderOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(
      `WITH outcome AS (SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::timestamptz[], $5::boolean[]) AS t(id, status, error, next_at, provider_failed)),
       outbox AS (
         UPDATE sms_messages m SET status = 'failed', last_error = outcome.error, updated_at = now()
           FROM outcome WHERE outcome.provider_failed AND m.idempotency_key = 'reminder:' || outcome.id AND m.status = 'sending'
         RETURNING m.id)
       UPDATE reminders r
          SET status = CASE WHEN r.status = 'pending' THEN outcome.status ELSE r.status END,
              last_error = outcome.error, next_attempt_at = outcome.next_at, lease_until = NULL
         FROM outcome
        WHERE r.id = outcome.id`,
      [
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.error.slice(0, 500)),
        outcomes.map((o) => o.nextAttemptAt),
        outcomes.map((o) => o.providerFailed),
      ],
    );
  }

  /** A delivery report: kept only when it is not older news than what the reminder already shows. */
  async recordDeliveryStatus(providerMessageId: string, status: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE reminders SET delivery_status = $2
        WHERE provider_message_id = $1 AND ${DELIVERY_RANK('$2::varchar')} >= ${DELIVERY_RANK('delivery_status')}`,
      [providerMessageId, status],
    );
  }
}

/** Delivery reports can arrive out of order: queued < sending < sent < a final state < read. */
export const DELIVERY_RANK = (expression: string) =>
  `(CASE WHEN ${expression} IS NULL THEN 0
         WHEN ${expression} IN ('accepted', 'scheduled', 'queued') THEN 1
         WHEN ${expression} = 'sending' THEN 2
         WHEN ${expression} IN ('delivered', 'undelivered', 'failed', 'canceled') THEN 4
         WHEN ${expression} = 'read' THEN 5
         ELSE 3 END)`;
