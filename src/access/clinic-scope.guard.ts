import { CanActivate, ExecutionContext, Injectable, OnModuleInit, RequestMethod } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { actsOnAllClinics } from '../common/actor';
import { DomainError, Unauthorized } from '../common/problems';
import { IS_PUBLIC, ROLES } from '../auth/auth.decorators';
import { ACCESS, AccessDeclaration, AccessKind } from './access.decorators';
import { AccessTarget, ClinicAccess } from './clinic-access.service';
import { idsAt, ScopedRequest, sourcesOf } from './request-targets';

/**
 * Clinic scoping in one place (api.md v2 "Clinic scoping"), after the AuthGuard. Each route declares with
 * `@Access` what it acts on; this guard reads those ids from the request and ClinicAccess refuses, before
 * the handler runs: 404 for a patient the actor may not see and for everything of theirs (existence does
 * not leak), 403 for another clinic's location, appointment, course or worklist item. Admins (and the
 * system) act on every clinic. At start-up every route must have a declaration (or be @Public, or
 * admin-only), or the service refuses to start: a route added later cannot skip scoping by accident.
 */
@Injectable()
export class ClinicScopeGuard implements CanActivate, OnModuleInit {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: ClinicAccess,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const undeclared = this.undeclaredRoutes();
    if (undeclared.length) {
      throw new Error(
        `Clinic scoping: these routes declare neither @Access(...), @Access.filtered, @Access.unscoped, @Public nor @Roles('admin'): ${undeclared.join(', ')}`,
      );
    }
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<ScopedRequest>();
    if (!request.user) throw new Unauthorized('A bearer token is required (Authorization: Bearer <accessToken>).');
    if (actsOnAllClinics(request.user)) return true;
    const declaration = this.reflector.getAllAndOverride<AccessDeclaration | undefined>(ACCESS, targets);
    // Admin-only routes were refused to this non-admin by the AuthGuard already; anything else undeclared is refused.
    if (!declaration) throw new DomainError(403, 'Forbidden', 'This route does not declare its clinic scope.', { type: '/problems/other-clinic' });
    if (declaration.kind !== 'targets') return true;

    const found: AccessTarget[] = [];
    for (const kind of Object.keys(declaration.targets) as AccessKind[]) {
      for (const source of sourcesOf(declaration, kind)) found.push({ kind, source, ids: idsAt(request, [source]) });
    }
    // The patients' visibility was read with the session (AuthGuard), in the same statement.
    await this.access.require(request.user, found, request.namedPatients);
    return true;
  }

  /** Routes with no scoping declaration: "GET /patients" style, for the start-up error. */
  undeclaredRoutes(): string[] {
    const missing: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const targets = [handler, wrapper.metatype];
        if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) continue;
        if (this.reflector.getAllAndOverride(ACCESS, targets)) continue;
        const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, targets);
        if (roles?.length === 1 && roles[0] === 'admin') continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const base = (Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string | undefined) ?? '';
        missing.push(`${method} /${[base, path].filter((part) => part && part !== '/').join('/')}`);
      }
    }
    return missing;
  }
}
