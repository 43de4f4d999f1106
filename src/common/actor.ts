import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Role } from '../staff/domain/roles';

/**
 * Who acts: for audit (the staff member, the request id) and for clinic scoping (`locationIds`: the
 * clinics a non-admin may act on; see src/access). The system (scheduler, SMS webhooks, seed) and admins
 * act on every clinic; 'anonymous' is a caller not yet signed in (a failed login).
 */
export interface Actor {
  id: string | null;
  /** A staff role; `system` for the service itself; `patient-sms` for what a patient did by replying to a text; `anonymous` before sign-in. */
  role: Role | 'system' | 'patient-sms' | 'anonymous';
  requestId: string | null;
  locationIds: readonly string[];
}

export const SYSTEM_ACTOR: Actor = { id: null, role: 'system', requestId: null, locationIds: [] };

/** A patient acting by text (a confirmation, a move to a time they picked, an accepted offer): audited as `patient-sms`. */
export const PATIENT_SMS_ACTOR: Actor = { id: null, role: 'patient-sms', requestId: null, locationIds: [] };

/** Whether the actor acts on every clinic (admin, the system) rather than on `locationIds` only. */
export function actsOnAllClinics(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'admin' || actor.role === 'system' || actor.role === 'patient-sms';
}

/** The clinics a list must keep to for this actor: undefined for those who act on every clinic. */
export function clinicScope(actor: Pick<Actor, 'role' | 'locationIds'>): readonly string[] | undefined {
  return actsOnAllClinics(actor) ? undefined : actor.locationIds;
}

/** The staff member a request's access token belongs to, as the guard found them in the database. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locationIds: string[];
  sessionId: string;
  mfaEnabled: boolean;
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<{ user?: AuthenticatedUser; id?: string }>();
  return {
    id: request.user?.id ?? null,
    role: request.user?.role ?? 'anonymous',
    requestId: request.id ?? null,
    locationIds: request.user?.locationIds ?? [],
  };
});

/** The signed-in user (routes behind the guard only). */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedUser => {
  const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
  if (!user) throw new Error('CurrentUser on a route without a signed-in user');
  return user;
});

/** The caller's address as the trusted proxies report it (Fastify's request.ip under TRUST_PROXY). */
export const ClientAddress = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<{ ip?: string }>();
  return (request.ip ?? 'unknown').slice(0, 64);
});
