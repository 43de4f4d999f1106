import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Role } from '../staff/domain/roles';

/** Who acts, for audit: the authenticated staff member and the request id. */
export interface Actor {
  id: string | null;
  /** A staff role; `system` for the service itself; `patient-sms` for what a patient did by replying to a text. */
  role: Role | 'system' | 'patient-sms';
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, role: 'system', requestId: null };

/** A patient acting by text (a confirmation, a move to a time they picked, an accepted offer): audited as `patient-sms`. */
export const PATIENT_SMS_ACTOR: Actor = { id: null, role: 'patient-sms', requestId: null };

export interface AuthenticatedUser {
  id: string;
  email: string;
  role: Role;
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<{ user?: AuthenticatedUser; id?: string }>();
  return {
    id: request.user?.id ?? null,
    role: request.user?.role ?? 'system',
    requestId: request.id ?? null,
  };
});
