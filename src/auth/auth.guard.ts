import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AuthenticatedUser } from '../common/actor';
import { DomainError, Forbidden } from '../common/problems';
import { ROLES as ALL_ROLES, Role } from '../staff/domain/roles';
import { IS_PUBLIC, ROLES } from './auth.decorators';

export class Unauthorized extends DomainError {
  constructor(detail: string) {
    super(401, 'Unauthorized', detail);
  }
}

interface TokenClaims {
  sub: string;
  email: string;
  role: Role;
  exp?: number;
}

/**
 * Verified tokens, so each one's HMAC is checked once rather than on every request: the same token
 * string always verifies the same way, and expiry is checked on every use. Bounded; oldest out first.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, TokenClaims>();

  constructor(private readonly capacity = 10_000) {}

  get(token: string, nowSeconds: number): TokenClaims | undefined {
    const claims = this.entries.get(token);
    if (claims && claims.exp !== undefined && claims.exp <= nowSeconds) {
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  set(token: string, claims: TokenClaims): void {
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, claims);
  }
}

/**
 * Global guard: every route needs a valid bearer token unless marked @Public, and the token's role
 * must be one the route's @Roles lists (admin passes everywhere).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verified = new VerifiedTokens();

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: AuthenticatedUser }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]+)$/.exec(header);
    if (!match) throw new Unauthorized('A bearer token is required (Authorization: Bearer <accessToken>).');
    let claims = this.verified.get(match[1], Math.floor(Date.now() / 1000));
    if (!claims) {
      try {
        claims = await this.jwt.verifyAsync<TokenClaims>(match[1], { algorithms: ['HS256'] });
      } catch {
        throw new Unauthorized('The bearer token is invalid or expired.');
      }
      this.verified.set(match[1], claims);
    }
    if (!claims.sub || !ALL_ROLES.includes(claims.role)) throw new Unauthorized('The bearer token is invalid.');
    request.user = { id: claims.sub, email: claims.email, role: claims.role };

    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (allowed && claims.role !== 'admin' && !allowed.includes(claims.role)) {
      throw new Forbidden(`This action needs one of the roles: ${['admin', ...allowed].join(', ')}.`);
    }
    return true;
  }
}
