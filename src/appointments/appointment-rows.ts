import { AppointmentSegmentEntity } from './appointment-segment.entity';
import { AppointmentEntity } from './appointment.entity';

const instant = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));

/** A row of `appointments` as row_to_json gives it (snake_case, timestamps as text), as the entity. */
export function appointmentFromJson(json: Record<string, unknown>): AppointmentEntity {
  return Object.assign(new AppointmentEntity(), {
    id: json.id,
    patientId: json.patient_id,
    type: json.type,
    status: json.status,
    mode: json.mode,
    locationId: json.location_id,
    resourceId: json.resource_id,
    providerId: json.provider_id,
    startsAt: instant(json.starts_at),
    endsAt: instant(json.ends_at),
    occupancyStartsAt: instant(json.occupancy_starts_at),
    occupancyEndsAt: instant(json.occupancy_ends_at),
    observationStartsAt: instant(json.observation_starts_at),
    observationEndsAt: instant(json.observation_ends_at),
    courseId: json.course_id,
    sequence: json.sequence,
    treatmentDay: json.treatment_day ?? null,
    dayGroup: json.day_group ?? null,
    earliestDischargeAt: instant(json.earliest_discharge_at),
    confirmedAt: instant(json.confirmed_at),
    rescheduleRequestedAt: instant(json.reschedule_requested_at),
    cancelReason: json.cancel_reason,
    cancelledAt: instant(json.cancelled_at),
    createdBy: json.created_by,
    createdAt: instant(json.created_at),
    updatedAt: instant(json.updated_at),
  });
}

/** A row of `appointment_segments` as row_to_json gives it, as the entity. */
export function segmentFromJson(json: Record<string, unknown>): AppointmentSegmentEntity {
  return Object.assign(new AppointmentSegmentEntity(), {
    id: json.id,
    appointmentId: json.appointment_id,
    holdId: json.hold_id ?? null,
    expiresAt: instant(json.expires_at),
    resourceId: json.resource_id,
    kind: json.kind,
    startsAt: instant(json.starts_at),
    endsAt: instant(json.ends_at),
    active: json.active,
  });
}
