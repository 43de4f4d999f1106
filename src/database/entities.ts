import { AppointmentSegmentEntity } from '../appointments/appointment-segment.entity';
import { AppointmentEntity } from '../appointments/appointment.entity';
import { ResourceHoldEntity } from '../appointments/resource-hold.entity';
import { AuditLogEntity } from '../audit/audit-log.entity';
import { AuthSessionEntity } from '../auth/auth-session.entity';
import { LoginFailureEntity } from '../auth/login-failure.entity';
import { RefreshTokenEntity } from '../auth/refresh-token.entity';
import { CalendarFeedEntity } from '../calendar-feeds/calendar-feed.entity';
import { CourseFlagEntity } from '../courses/course-flag.entity';
import { CourseOutcomeEntity } from '../courses/course-outcome.entity';
import { CourseEntity } from '../courses/course.entity';
import { IdempotencyKeyEntity } from '../idempotency/idempotency-key.entity';
import { ClosureEntity } from '../locations/closure.entity';
import { LocationHoursEntity } from '../locations/location-hours.entity';
import { LocationEntity } from '../locations/location.entity';
import { ResourceEntity } from '../locations/resource.entity';
import { AuthorizationEntity } from '../patients/authorization.entity';
import { MedicationTrialEntity } from '../patients/medication-trial.entity';
import { PatientEntity } from '../patients/patient.entity';
import { ReminderEntity } from '../reminders/reminder.entity';
import { SmsConsentEventEntity } from '../reminders/sms-consent-event.entity';
import { SmsInboundMessageEntity } from '../reminders/sms-inbound-message.entity';
import { SmsMessageEntity } from '../reminders/sms-message.entity';
import { DoseEntity } from '../sessions/dose.entity';
import { DosingClearanceEntity } from '../sessions/dosing-clearance.entity';
import { RemsFormEntity } from '../sessions/rems/rems-form.entity';
import { SessionEventEntity } from '../sessions/session-event.entity';
import { TmsRecordEntity } from '../sessions/tms-record.entity';
import { VitalsEntity } from '../sessions/vitals.entity';
import { ShiftEntity } from '../staff/shift.entity';
import { StaffEntity } from '../staff/staff.entity';
import { WaitlistEntryEntity } from '../waitlist/waitlist-entry.entity';
import { WaitlistOfferEntity } from '../waitlist/waitlist-offer.entity';
import { WebhookDeliveryAttemptEntity } from '../webhooks/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity';
import { WebhookEventEntity } from '../webhooks/webhook-event.entity';
import { WebhookSubscriptionEntity } from '../webhooks/webhook-subscription.entity';
import { WorklistItemEntity } from '../worklist/worklist-item.entity';

/** Every entity of the schema; the migrations must leave exactly this schema. */
export const ENTITIES = [
  LocationEntity,
  ResourceEntity,
  LocationHoursEntity,
  ClosureEntity,
  StaffEntity,
  ShiftEntity,
  AuditLogEntity,
  PatientEntity,
  MedicationTrialEntity,
  AuthorizationEntity,
  AppointmentEntity,
  AppointmentSegmentEntity,
  ResourceHoldEntity,
  IdempotencyKeyEntity,
  CourseEntity,
  CourseFlagEntity,
  CourseOutcomeEntity,
  ReminderEntity,
  SmsMessageEntity,
  SmsConsentEventEntity,
  SmsInboundMessageEntity,
  SessionEventEntity,
  VitalsEntity,
  DoseEntity,
  DosingClearanceEntity,
  TmsRecordEntity,
  RemsFormEntity,
  WorklistItemEntity,
  AuthSessionEntity,
  RefreshTokenEntity,
  LoginFailureEntity,
  WaitlistEntryEntity,
  WaitlistOfferEntity,
  WebhookSubscriptionEntity,
  WebhookEventEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  CalendarFeedEntity,
];
