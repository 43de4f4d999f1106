import type { AuthenticatedUser } from '../common/actor';
import type { AccessDeclaration, AccessKind, AccessSource } from './access.decorators';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Which of the patients a request names the signed-in person may see, read by the AuthGuard in the same
 * statement as their session (one round trip for both); ClinicScopeGuard judges with it instead of
 * asking again. `asked`: the ids it was read for.
 */
export interface NamedPatients {
  asked: ReadonlySet<string>;
  visible: ReadonlySet<string>;
}

/** A request as clinic scoping reads it. */
export interface ScopedRequest {
  user?: AuthenticatedUser;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  namedPatients?: NamedPatients;
}

/** The UUIDs at the sources, lower-cased and once each (anything else is left for validation to refuse). */
export function idsAt(request: ScopedRequest, sources: AccessSource[]): string[] {
  const values: unknown[] = [];
  for (const source of sources) {
    const container = source.in === 'path' ? request.params : source.in === 'query' ? request.query : request.body;
    if (!container || typeof container !== 'object' || Array.isArray(container)) continue;
    values.push(...([] as unknown[]).concat((container as Record<string, unknown>)[source.name] ?? []));
  }
  // A FHIR reference ("Patient/<id>") names its id after the slash.
  const ids = values.filter((value): value is string => typeof value === 'string').map((value) => value.replace(/^[A-Z][A-Za-z]+\//, ''));
  return [...new Set(ids.filter((value) => UUID.test(value)).map((value) => value.toLowerCase()))];
}

/** The sources a route's declaration names for one kind of thing. */
export function sourcesOf(declaration: AccessDeclaration | undefined, kind: AccessKind): AccessSource[] {
  if (declaration?.kind !== 'targets') return [];
  return ([] as AccessSource[]).concat(declaration.targets[kind] ?? []);
}
