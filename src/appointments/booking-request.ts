import { FieldError, InvalidInput, RuleViolation } from '../common/problems';
import { localParts } from '../common/clinic-time';
import { PROTOCOLS, storedCourseOptions } from '../courses/domain/protocols';
import { AppointmentSegmentEntity } from './appointment-segment.entity';
import { AppointmentEntity } from './appointment.entity';
import { BookingParties } from './calendar.repository';
import { APPOINTMENT_TYPE_DEFINITIONS, AppointmentPlan } from './domain/appointment-types';
import type { CourseSlot } from './domain/course-spacing';
import { BookingContext, BookingRule, SlotDecision } from './domain/slot-rules';
import { dailyLimitGroup } from './domain/treatment-frequency';
import { AppointmentType, Treatment, TREATMENTS, VisitMode } from './domain/vocabulary';

// What a booking asks for and what it answers, and the pure steps between the calendar and the write that
// BookingService takes (placement, the course as the rules see it, refusals and override warnings).

/** A provider's or admin's documented reason to book past a rule a provider may override. */
export interface BookingOverride {
  reason: string;
  /** The caller audits the override itself (a course's override covers its sessions). */
  auditedBy?: 'course';
}
export interface BookingRequest {
  /** The new appointment's id when the caller already named it (a FHIR hold booked keeps its id); otherwise a fresh one. */
  id?: string;
  patientId: string;
  type: AppointmentType;
  locationId: string;
  startsAt: Date;
  resourceId?: string;
  providerId?: string;
  mode?: VisitMode;
  durationMinutes?: number;
  courseId?: string;
  sequence?: number;
  /** TMS: the first session of a course (motor threshold, longer). */
  firstOfCourse?: boolean;
  override?: BookingOverride;
  /** Rules the caller has decided for the whole of a larger booking (a course: the authorization and the horizon). */
  waive?: readonly BookingRule[];
}

export interface Booked {
  appointment: AppointmentEntity;
  segments: AppointmentSegmentEntity[];
  warnings: string[];
}

/** What a booking names, checked: the patient and the clinic exist. */
export type CheckedParties = BookingParties & { patient: NonNullable<BookingParties['patient']>; location: NonNullable<BookingParties['location']> };

/** A checked request: its occupancy plan and the calendar it will be judged against. */
export interface PreparedBooking {
  plan: AppointmentPlan;
  parties: CheckedParties;
  context: BookingContext;
  /** The course the appointment belongs to, as the rules see it. */
  course?: CourseSlot;
  warnings: string[];
}

/** One appointment of a course replanned: where and when it goes. */
export interface PlannedMove {
  appointmentId: string;
  startsAt: Date;
  locationId: string;
  resourceId?: string;
  durationMinutes?: number;
}

export const isTreatment = (type: AppointmentType): type is Treatment => (TREATMENTS as readonly string[]).includes(type);

/** The columns an accepted decision fills: where and when the appointment holds what, and which daily limit it counts against. */
export function placementOf(plan: AppointmentPlan, decision: Extract<SlotDecision, { ok: true }>, prepared: PreparedBooking) {
  const group = dailyLimitGroup(plan.type, prepared.course?.protocol.code === 'tms-accelerated');
  return {
    resourceId: decision.segmentResourceIds[0] ?? null,
    providerId: decision.providerId,
    startsAt: plan.startsAt,
    endsAt: plan.endsAt,
    occupancyStartsAt: plan.occupancy.start,
    occupancyEndsAt: plan.occupancy.end,
    observationStartsAt: plan.observation?.start ?? null,
    observationEndsAt: plan.observation?.end ?? null,
    treatmentDay: group ? localParts(plan.startsAt, prepared.context.zone).date : null,
    dayGroup: group,
  };
}

/** The course as the rules see it: its protocol, the session's place in it and the options it was booked with. */
export function courseSlotOf(course: NonNullable<BookingParties['course']>, sequence: number | null): CourseSlot | undefined {
  const protocol = PROTOCOLS[course.protocol as keyof typeof PROTOCOLS];
  if (!protocol) return undefined;
  return { id: course.id, protocol, sequence, options: storedCourseOptions(protocol, course.totalSessions, course.settings ?? {}) };
}

/** A refusal as the 409 says it; `overridable` tells a provider an override and a reason would book it. */
export function refusal(decision: Extract<SlotDecision, { ok: false }>): RuleViolation {
  return new RuleViolation(decision.rule, decision.detail, decision.conflicts, decision.overridable ? { overridable: true } : {});
}

export function overrideWarnings(request: BookingRequest, overridden: Array<{ detail: string }>): string[] {
  if (!request.override || request.override.auditedBy) return [];
  if (!overridden.length) return ['The override was not needed: the booking is within every limit a provider may override.'];
  return overridden.map((o) => `Override: ${o.detail} (${request.override!.reason}).`);
}

/** What the request names, checked against what the calendar read found: 400 naming each field that is wrong. */
export function checkParties(request: BookingRequest, parties: BookingParties, existing: boolean): CheckedParties {
  const errors: FieldError[] = [];
  const { patient, location } = parties;
  if (!patient) errors.push({ field: 'patientId', message: 'no patient has this id' });
  if (!location) errors.push({ field: 'locationId', message: 'no clinic has this id' });
  const definition = APPOINTMENT_TYPE_DEFINITIONS[request.type];
  const telehealth = request.mode === 'telehealth';
  if (telehealth && !definition.needsProvider) errors.push({ field: 'mode', message: `a ${request.type} appointment cannot be telehealth` });
  if (request.resourceId) {
    const expectedKind = definition.segments[0]?.resourceKind;
    if (!parties.resource) errors.push({ field: 'resourceId', message: 'no resource has this id' });
    else if (parties.resource.locationId !== request.locationId) errors.push({ field: 'resourceId', message: 'the resource is at another clinic' });
    else if (!expectedKind || telehealth) errors.push({ field: 'resourceId', message: `a ${request.type} appointment holds no resource` });
    else if (parties.resource.kind !== expectedKind) errors.push({ field: 'resourceId', message: `a ${request.type} appointment needs a ${expectedKind}` });
    else if (!parties.resource.active) errors.push({ field: 'resourceId', message: 'the resource is out of service' });
  }
  if (request.providerId) {
    if (!definition.needsProvider) errors.push({ field: 'providerId', message: `a ${request.type} appointment is not booked with a provider` });
    else if (!parties.provider || parties.provider.role !== 'provider' || !parties.provider.active) {
      errors.push({ field: 'providerId', message: 'no active provider has this id' });
    }
  }
  if (request.courseId) {
    // Another patient's course would count this patient's session, and cancel it with its own.
    const { course } = parties;
    if (!course) errors.push({ field: 'courseId', message: 'no course has this id' });
    else if (course.patientId !== request.patientId) errors.push({ field: 'courseId', message: "the course is another patient's" });
    else if (course.treatment !== request.type) errors.push({ field: 'courseId', message: `the course is a ${course.treatment} course, not ${request.type}` });
    else if (!existing && course.status !== 'active') errors.push({ field: 'courseId', message: `the course is ${course.status}` });
  }
  if (errors.length || !patient || !location) throw new InvalidInput(errors);
  return { ...parties, patient, location };
}
