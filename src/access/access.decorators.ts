import { SetMetadata } from '@nestjs/common';

/** The kinds of thing a route can act on, each resolved to its clinic(s) by AccessRepository. */
export type AccessKind = 'location' | 'patient' | 'appointment' | 'course' | 'worklistItem' | 'resource' | 'waitlistEntry';

/** Where in the request an id is: a path parameter, a query value or a body field (a string or an array of them). */
export interface AccessSource {
  in: 'path' | 'query' | 'body';
  name: string;
}

export const param = (name: string): AccessSource => ({ in: 'path', name });
export const query = (name: string): AccessSource => ({ in: 'query', name });
export const body = (name: string): AccessSource => ({ in: 'body', name });

export type AccessTargets = Partial<Record<AccessKind, AccessSource | AccessSource[]>>;

/** What a route declared (read by ClinicScopeGuard, and checked for every route at start-up). */
export type AccessDeclaration =
  { kind: 'targets'; targets: AccessTargets; filtered?: string } | { kind: 'filtered'; filtered: string } | { kind: 'unscoped'; reason: string };

export const ACCESS = 'access:declaration';

/**
 * Clinic scoping, declared on every route (a route without a declaration stops the service at start-up).
 *
 * `@Access({ appointment: param('id') })`: the guard resolves each id named to its clinic before the
 * handler runs. For a non-admin: a location outside their clinics is a 403; a patient they may not see
 * (neither the preferred clinic nor a clinic of an appointment or course of theirs is one of their
 * clinics) is a 404, and so is an appointment or course of such a patient; an appointment, course or
 * worklist item of a patient they may see, but at another clinic, is a 403.
 *
 * `filtered`: the route also lists things, and its query keeps only the actor's clinics (say what).
 */
export function Access(targets: AccessTargets, options: { filtered?: string } = {}): MethodDecorator & ClassDecorator {
  return SetMetadata(ACCESS, { kind: 'targets', targets, ...options } satisfies AccessDeclaration);
}

/** A list whose query itself keeps only the actor's clinics (patient search, pending REMS forms…): say how. */
Access.filtered = (how: string): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, { kind: 'filtered', filtered: how } satisfies AccessDeclaration);

/** Touches no clinic's data (the protocol catalogue, one's own account): say why. */
Access.unscoped = (reason: string): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, { kind: 'unscoped', reason } satisfies AccessDeclaration);
