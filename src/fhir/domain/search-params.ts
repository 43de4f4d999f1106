import { clinicDayBounds } from '../../common/clinic-time';
import { InvalidInput } from '../../common/problems';
import { isCalendarDate, parseOffsetDateTime } from '../../common/validation';

/** A query string as Fastify parses it: a repeated parameter is an array. */
export type RawQuery = Record<string, string | string[] | undefined>;

/** Parameters every search accepts and this server ignores (only JSON is spoken). */
const ALWAYS_ALLOWED = new Set(['_format', '_pretty']);

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** A half-open span of instants [start, end); either end may be open. */
export interface Span {
  start?: Date;
  end?: Date;
}

/**
 * The search parameters of one request, read strictly: an unknown parameter is a 400 naming it (a filter
 * silently ignored could answer with far more than was asked for), and so is a malformed value.
 */
export class SearchParams {
  constructor(
    private readonly query: RawQuery,
    allowed: readonly string[],
  ) {
    const known = new Set([...allowed, ...ALWAYS_ALLOWED]);
    const unknown = Object.keys(query).filter((name) => !known.has(name));
    if (unknown.length)
      throw new InvalidInput(unknown.map((name) => ({ field: name, message: `${name} is not a search parameter this server supports here` })));
    const format = this.one('_format');
    if (format !== undefined && !['json', 'application/json', 'application/fhir+json'].includes(format)) {
      throw InvalidInput.field('_format', 'only JSON is supported');
    }
  }

  has(name: string): boolean {
    return this.query[name] !== undefined;
  }

  all(name: string): string[] {
    const value = this.query[name];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  }

  /** The one value of a parameter; given twice is a 400. */
  one(name: string): string | undefined {
    const values = this.all(name);
    if (values.length > 1) throw InvalidInput.field(name, `${name} may be given once`);
    return values[0];
  }

  /** A reference to `type`: `Type/<uuid>` or the bare id. */
  reference(name: string, type: string): string | undefined {
    const value = this.one(name);
    return value === undefined ? undefined : parseReference(value, type, name);
  }

  /** A token of `system`: `system|code`, `|code`… or the bare code; its code must be one of `codes`. */
  token<T extends string>(name: string, system: string, codes: readonly T[]): T[] {
    return this.all(name)
      .flatMap((value) => value.split(','))
      .map((value) => parseToken(value, system, codes, name));
  }

  /** A date parameter with FHIR prefixes (eq, ge, gt, le, lt), repeated values intersected, as a span. */
  dateSpan(name: string): Span {
    return this.all(name).reduce<Span>((span, value) => intersect(span, parseDateBound(value, name)), {});
  }

  integer(name: string, min: number, max: number): number | undefined {
    const value = this.one(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
      throw InvalidInput.field(name, `${name} must be a whole number from ${min} to ${max}`);
    return Number(value);
  }
}

export function parseReference(value: string, type: string, field: string): string {
  const id = value.startsWith(`${type}/`) ? value.slice(type.length + 1) : value;
  if (!UUID.test(id)) throw InvalidInput.field(field, `${field} must be a reference ${type}/<id>`);
  return id.toLowerCase();
}

export function parseToken<T extends string>(value: string, system: string, codes: readonly T[], field: string): T {
  const bar = value.indexOf('|');
  const [given, code] = bar >= 0 ? [value.slice(0, bar), value.slice(bar + 1)] : [undefined, value];
  if (given && given !== system) throw InvalidInput.field(field, `${field} must use the system ${system}`);
  if (!(codes as readonly string[]).includes(code)) throw InvalidInput.field(field, `${field} must be one of ${codes.join(', ')}`);
  return code as T;
}

/**
 * One date value: a clinic-local day `YYYY-MM-DD` (the whole day) or an instant with its offset, under a
 * prefix. The result is the span of starts it admits.
 */
export function parseDateBound(raw: string, field: string): Span {
  const match = /^(eq|ge|gt|le|lt)?(.+)$/.exec(raw);
  const prefix = match?.[1] ?? 'eq';
  const value = match?.[2] ?? '';
  let range: { start: Date; end: Date };
  if (isCalendarDate(value)) {
    range = clinicDayBounds(value);
  } else {
    const instant = parseOffsetDateTime(value);
    if (!instant)
      throw InvalidInput.field(field, `${field} must be a date YYYY-MM-DD or a date-time with an offset, after an optional prefix eq, ge, gt, le or lt`);
    range = { start: instant, end: new Date(instant.getTime() + 1) };
  }
  switch (prefix) {
    case 'ge':
      return { start: range.start };
    case 'gt':
      return { start: range.end };
    case 'lt':
      return { end: range.start };
    case 'le':
      return { end: range.end };
    default:
      return { start: range.start, end: range.end };
  }
}

function intersect(a: Span, b: Span): Span {
  const start = a.start && b.start ? (a.start > b.start ? a.start : b.start) : (a.start ?? b.start);
  const end = a.end && b.end ? (a.end < b.end ? a.end : b.end) : (a.end ?? b.end);
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

/** The longest window a slot search or `$find` looks at: the same as GET /api/availability. */
export const MAX_WINDOW_DAYS = 31;

/** A search's or an operation's window: both bounds given, in order, at most MAX_WINDOW_DAYS long (400 naming the field otherwise). */
export function boundedWindow(span: Span, startField: string, endField: string): { from: Date; to: Date } {
  if (!span.start) throw InvalidInput.field(startField, `${startField} needs a lower bound (ge or gt)`);
  if (!span.end) throw InvalidInput.field(endField, `${endField} needs an upper bound (lt or le)`);
  if (span.end <= span.start) throw InvalidInput.field(endField, 'the window is empty');
  if (span.end.getTime() - span.start.getTime() > MAX_WINDOW_DAYS * 86_400_000)
    throw InvalidInput.field(endField, `a window of at most ${MAX_WINDOW_DAYS} days`);
  return { from: span.start, to: span.end };
}
