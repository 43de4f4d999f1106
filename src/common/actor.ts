import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Role } from '../staff/domain/roles';

/** Who acts, for audit: the authenticated staff member and the request id. */
export interface Actor {
  id: string | null;
  role: Role | 'system';
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, role: 'system', requestId: null };

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
