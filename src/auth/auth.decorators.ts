import { SetMetadata } from '@nestjs/common';
import type { Role } from '../staff/domain/roles';

export const IS_PUBLIC = 'auth:isPublic';
export const ROLES = 'auth:roles';
export const CLINICAL = 'auth:clinical';
export const SESSION_SETUP = 'auth:sessionSetup';

/** No bearer token needed (login, refresh, health, signed SMS webhooks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Who may call the route; admin may call everything except clinical acts. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/**
 * A clinical act (charting vitals and doses, clearing a dose, discharging, the REMS form): only the
 * clinical roles of `@Roles` may do it, and admin does not pass. An administrator is not a licensed
 * clinician; what they record would be in the chart under a role that cannot vouch for it.
 */
export const ClinicalAct = () => SetMetadata(CLINICAL, true);

/**
 * Callable by a session that must first set up MFA or change its password (and by every other session):
 * who am I, logout, password change, MFA setup. Every other route refuses such a session with a 403.
 */
export const SessionSetup = () => SetMetadata(SESSION_SETUP, true);
