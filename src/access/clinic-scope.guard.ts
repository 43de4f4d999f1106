import { CanActivate, ExecutionContext, Injectable, OnModuleInit, RequestMethod } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { actsOnAllClinics, AuthenticatedUser } from '../common/actor';
import { DomainError, InvalidInput, NotFound, Unauthorized } from '../common/problems';
import { IS_PUBLIC, ROLES } from '../auth/auth.decorators';
import { ACCESS, AccessDeclaration, AccessKind, AccessSource } from './access.decorators';
import { AccessRepository, ScopedRow } from './access.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 403 for another clinic's thing (of a patient the actor may see). */
export class OtherClinic extends DomainError {
  constructor(what: string) {
    super(403, 'Forbidden', `${what} belongs to a clinic you do not work at.`, { type: '/problems/other-clinic' });
  }
}

interface ScopedRequest {
  user?: AuthenticatedUser;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

const LABEL: Record<AccessKind, string> = {
  location: 'Location',
  patient: 'Patient',
  appointment: 'Appointment',
  course: 'Course',
  worklistItem: 'Worklist item',
};

/**
 * Clinic scoping in one place (api.md v2 "Clinic scoping"), after the AuthGuard. Each route declares with
 * `@Access` what it acts on; this guard resolves those ids through AccessRepository and refuses, before
 * the handler runs: 404 for a patient the actor may not see and for everything of theirs (existence does
 * not leak), 403 for another clinic's location, appointment, course or worklist item. Admins (and the
 * system) act on every clinic. At start-up every route must have a declaration (or be @Public, or
 * admin-only), or the service refuses to start: a route added later cannot skip scoping by accident.
 */
@Injectable()
export class ClinicScopeGuard implements CanActivate, OnModuleInit {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessRepository,
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

    const clinics = request.user.locationIds;
    const sourcesOf = (kind: AccessKind) => ([] as AccessSource[]).concat(declaration.targets[kind] ?? []);
    const refusals: DomainError[] = [];

    // A patient the actor may not see is answered exactly as one that does not exist: 404 in a path or a
    // query, and in a body the 400 naming the field that an unknown id gets.
    const patients = this.read(request, sourcesOf('patient'));
    if (patients.length) {
      const visible = await this.access.visiblePatients(patients, clinics);
      for (const source of sourcesOf('patient')) {
        const hidden = this.read(request, [source]).find((id) => !visible.has(id));
        if (hidden) throw this.unknown('patient', source, hidden);
      }
    }
    for (const [kind, lookup] of [
      ['appointment', (list: string[]) => this.access.appointments(list, clinics)],
      ['course', (list: string[]) => this.access.courses(list, clinics)],
      ['worklistItem', (list: string[]) => this.access.worklistItems(list)],
    ] as Array<[AccessKind, (list: string[]) => Promise<ScopedRow[]>]>) {
      for (const source of sourcesOf(kind)) {
        const list = this.read(request, [source]);
        if (!list.length) continue;
        const rows = new Map((await lookup(list)).map((row) => [row.id, row]));
        for (const id of list) {
          const row = rows.get(id);
          // Unknown ids are the service's to refuse; a hidden patient's thing is refused as if unknown.
          if (row && !row.patientVisible) throw this.unknown(kind, source, id);
          if (row && !clinics.includes(row.locationId)) refusals.push(new OtherClinic(`${LABEL[kind]} ${id}`));
        }
      }
    }
    // Another clinic is a 403; an id that is no clinic at all is left for the service to refuse as it always has.
    const locations = this.read(request, sourcesOf('location')).filter((id) => !clinics.includes(id));
    if (locations.length) {
      const existing = await this.access.existingLocations(locations);
      for (const id of locations) if (existing.has(id)) refusals.push(new OtherClinic(`Location ${id}`));
    }
    if (refusals.length) throw refusals[0];
    return true;
  }

  private unknown(kind: AccessKind, source: AccessSource, id: string): DomainError {
    const what = LABEL[kind].toLowerCase();
    return source.in === 'body' ? InvalidInput.field(source.name, `${source.name} refers to a ${what} that does not exist`) : new NotFound(LABEL[kind], id);
  }

  /** The UUIDs at the sources (anything else is left for validation to refuse). */
  private read(request: ScopedRequest, sources: AccessSource[]): string[] {
    const values: unknown[] = [];
    for (const source of sources) {
      const container = source.in === 'path' ? request.params : source.in === 'query' ? request.query : request.body;
      if (!container || typeof container !== 'object' || Array.isArray(container)) continue;
      values.push(...([] as unknown[]).concat((container as Record<string, unknown>)[source.name] ?? []));
    }
    return [...new Set(values.filter((value): value is string => typeof value === 'string' && UUID.test(value)).map((value) => value.toLowerCase()))];
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
