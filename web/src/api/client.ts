import createClient from 'openapi-fetch';
import { authorizedFetch } from '../auth/session';
import { ApiProblem, toProblem } from './problem';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Appointment = Schemas['AppointmentResponse'];
export type Patient = Schemas['PatientResponse'];
export type Location = Schemas['LocationResponse'];
export type Resource = Schemas['ResourceResponse'];
export type AppointmentType = Appointment['type'];
export type AppointmentStatus = Appointment['status'];

/**
 * The typed client of the service's own OpenAPI document (web/src/api/schema.d.ts). Its fetch adds the
 * bearer token, refreshes it once on a 401 and ends the session after that.
 */
export const api = createClient<paths>({ baseUrl: '', fetch: authorizedFetch });

/**
 * The data of an openapi-fetch result, or an ApiProblem with the service's problem+json: every screen
 * calls `unwrap(await api.GET(...))` so a refusal reaches the user in the service's words.
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) throw new ApiProblem(toProblem(result.response.status, result.error));
  return result.data as T;
}

/** A key for one attempt at a create, so a retried click creates nothing twice. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
