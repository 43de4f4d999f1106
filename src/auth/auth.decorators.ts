import { SetMetadata } from '@nestjs/common';
import type { Role } from '../staff/domain/roles';

export const IS_PUBLIC = 'auth:isPublic';
export const ROLES = 'auth:roles';

/** No bearer token needed (login, health, signed SMS webhooks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Who may call the route; admin may call everything. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
