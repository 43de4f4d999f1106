import type { DataSource } from 'typeorm';
import type { AppointmentStatus, AppointmentType } from '../../src/appointments/domain/vocabulary';
import { RELEASED_STATUSES } from '../../src/appointments/domain/vocabulary';

/*
 * Past rows for the reports, inserted with SQL as the bench loader inserts its history. A report reads
 * what weeks of work left behind (outcomes, late cancellations, forms submitted after their due time,
 * texts that failed): a fixture whose answer is counted by hand needs exactly those states at exactly
 * those times, which the API reaches only by living through the weeks.
 */

export interface PastAppointment {
  patientId: string;
  locationId: string;
  type: AppointmentType;
  status: AppointmentStatus;
  /** Each segment a resource holds, [start, end) as offset date-times. */
  segments: Array<{ resourceId: string; startsAt: string; endsAt: string }>;
  cancelledAt?: string;
  courseId?: string;
}

/** An appointment in a given state with its segments (inactive when cancelled or a no-show): its id. */
export async function insertAppointment(dataSource: DataSource, appointment: PastAppointment): Promise<string> {
  const startsAt = appointment.segments[0].startsAt;
  const endsAt = appointment.segments[appointment.segments.length - 1].endsAt;
  const [{ id }] = await dataSource.query(
    `INSERT INTO appointments (patient_id, type, status, mode, location_id, resource_id, starts_at, ends_at, occupancy_starts_at, occupancy_ends_at,
                               cancelled_at, course_id)
     VALUES ($1, $2, $3, 'inPerson', $4, $5, $6, $7, $6, $7, $8, $9) RETURNING id`,
    [
      appointment.patientId,
      appointment.type,
      appointment.status,
      appointment.locationId,
      appointment.segments[0].resourceId,
      startsAt,
      endsAt,
      appointment.cancelledAt ?? null,
      appointment.courseId ?? null,
    ],
  );
  const active = !RELEASED_STATUSES.includes(appointment.status);
  for (const [index, segment] of appointment.segments.entries()) {
    await dataSource.query(`INSERT INTO appointment_segments (appointment_id, resource_id, kind, starts_at, ends_at, active) VALUES ($1, $2, $3, $4, $5, $6)`, [
      id,
      segment.resourceId,
      index === 0 ? 'treatment' : 'recovery',
      segment.startsAt,
      segment.endsAt,
      active,
    ]);
  }
  return id;
}

/** A course row (its sessions are appointments with its id): its id. */
export async function insertCourse(
  dataSource: DataSource,
  course: { patientId: string; locationId: string; protocol: string; treatment: string; startDate: string; status: 'active' | 'completed' | 'cancelled' },
): Promise<string> {
  const [{ id }] = await dataSource.query(
    `INSERT INTO courses (patient_id, protocol, treatment, location_id, status, start_date, preferred_time, total_sessions)
     VALUES ($1, $2, $3, $4, $5, $6, '10:00', 36) RETURNING id`,
    [course.patientId, course.protocol, course.treatment, course.locationId, course.status, course.startDate],
  );
  return id;
}

/** The REMS form of a Spravato session, due and (when given) submitted at the times given. */
export async function insertRemsForm(dataSource: DataSource, form: { appointmentId: string; dueAt: string; submittedAt?: string; submittedBy?: string }) {
  await dataSource.query(`INSERT INTO rems_forms (appointment_id, due_at, submitted_at, submitted_by, submitted_form) VALUES ($1, $2, $3, $4, $5)`, [
    form.appointmentId,
    form.dueAt,
    form.submittedAt ?? null,
    form.submittedAt ? form.submittedBy : null,
    form.submittedAt ? '{}' : null,
  ]);
}

/** One planned text about an appointment, in a given state. */
export async function insertText(
  dataSource: DataSource,
  text: { appointmentId: string; patientId: string; kind: string; sendAt: string; status: 'pending' | 'sent' | 'failed' | 'cancelled' | 'suppressed' },
) {
  await dataSource.query(
    `INSERT INTO reminders (appointment_id, patient_id, kind, send_at, status, body, sent_at) VALUES ($1, $2, $3, $4, $5, 'Reminder', $6)`,
    [text.appointmentId, text.patientId, text.kind, text.sendAt, text.status, text.status === 'sent' ? text.sendAt : null],
  );
}

/** A STOP received from the patient at that time. */
export async function insertOptOut(dataSource: DataSource, patientId: string, at: string) {
  await dataSource.query(`INSERT INTO sms_consent_events (patient_id, event, keyword, created_at) VALUES ($1, 'opt_out', 'stop', $2)`, [patientId, at]);
}

/** A score of a course's outcome scale, taken on a clinic-local date. */
export async function insertOutcome(dataSource: DataSource, outcome: { courseId: string; scale: 'phq9' | 'madrs' | 'hamd17'; score: number; takenOn: string }) {
  await dataSource.query(`INSERT INTO course_outcomes (course_id, scale, score, taken_on) VALUES ($1, $2, $3, $4)`, [
    outcome.courseId,
    outcome.scale,
    outcome.score,
    outcome.takenOn,
  ]);
}

/** What a patient's reply did to an appointment, as the booking service audits it (actor: the patient's text). */
export async function insertReplyAudit(
  dataSource: DataSource,
  reply: { appointmentId: string; action: 'appointment.confirm' | 'appointment.reschedule-request'; at: string },
) {
  await dataSource.query(
    `INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, at) VALUES (NULL, 'system', $1, 'appointment', $2, $3)`,
    [reply.action, reply.appointmentId, reply.at],
  );
}

/** A waitlist offer of a freed slot to a patient (with the waitlist entry it answers), in a given state. */
export async function insertWaitlistOffer(
  dataSource: DataSource,
  offer: {
    patientId: string;
    locationId: string;
    resourceId: string;
    startsAt: string;
    offeredAt: string;
    status: 'offered' | 'accepted' | 'declined' | 'expired';
  },
) {
  const [{ id: entryId }] = await dataSource.query(
    `INSERT INTO waitlist_entries (patient_id, type, location_ids, from_date, to_date) VALUES ($1, 'tms', ARRAY[$2]::uuid[], '2026-11-01', '2026-11-30') RETURNING id`,
    [offer.patientId, offer.locationId],
  );
  await dataSource.query(
    `INSERT INTO waitlist_offers (entry_id, patient_id, location_id, type, resource_id, starts_at, status, freed_at, offered_at, expires_at, responded_at)
     VALUES ($1, $2, $3, 'tms', $4, $5, $6::varchar, $7, $7, $7::timestamptz + interval '15 minutes', CASE WHEN $6::varchar IN ('accepted', 'declined') THEN $7::timestamptz + interval '5 minutes' END)`,
    [entryId, offer.patientId, offer.locationId, offer.resourceId, offer.startsAt, offer.status, offer.offeredAt],
  );
}
