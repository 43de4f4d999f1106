/**
 * The events integrators can subscribe to, and what each carries. Payloads hold ids, types, statuses and
 * times only: never a name, a phone number, a date of birth or free text (a cancellation's reason is free
 * text a person typed, so it is left out). The types below are the whole of what may be sent.
 */

export const WEBHOOK_EVENT_TYPES = [
  'appointment.booked',
  'appointment.rescheduled',
  'appointment.cancelled',
  'appointment.status_changed',
  'course.booked',
  'course.cancelled',
  'rems_form.due',
  'rems_form.submitted',
  'waitlist.offer_accepted',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** An appointment as every appointment.* event describes it (instants with the clinic's offset). */
export interface AppointmentEventData {
  appointmentId: string;
  patientId: string;
  /** spravato, ketamine, tms, ect, intake, follow_up */
  appointmentType: string;
  status: string;
  locationId: string;
  resourceId: string | null;
  providerId: string | null;
  startsAt: string;
  endsAt: string;
  courseId: string | null;
  sequence: number | null;
}

export interface WebhookEventData {
  'appointment.booked': AppointmentEventData;
  'appointment.rescheduled': AppointmentEventData;
  'appointment.cancelled': AppointmentEventData & { cancelledAt: string | null };
  /** Check-in, treatment start, observation, discharge, no-show: `status` is the new one. */
  'appointment.status_changed': AppointmentEventData;
  'course.booked': {
    courseId: string;
    patientId: string;
    protocol: string;
    treatment: string;
    locationId: string;
    appointmentIds: string[];
  };
  'course.cancelled': { courseId: string; patientId: string; cancelledAppointmentIds: string[] };
  /** A Spravato REMS Patient Monitoring Form was opened with the dose and must be submitted by `dueAt`. */
  'rems_form.due': { appointmentId: string; patientId: string; locationId: string; dueAt: string };
  'rems_form.submitted': { appointmentId: string; patientId: string; locationId: string; submittedAt: string; overdue: boolean };
  /** Emitted by the waitlist when a patient takes an offered slot (the appointment booked from it). */
  'waitlist.offer_accepted': { offerId: string; waitlistEntryId: string; patientId: string; appointmentId: string; acceptedAt: string };
}

/** What a subscriber receives: the Standard Webhooks payload structure (`type`, `timestamp`, `data`). */
export interface WebhookPayload<T extends WebhookEventType = WebhookEventType> {
  type: T;
  timestamp: string;
  data: WebhookEventData[T];
}

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
