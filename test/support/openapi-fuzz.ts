import { randomUUID } from 'node:crypto';

/** Just enough of OpenAPI 3 to generate requests from the service's own document. */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
  example?: unknown;
  allOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
}

export interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema }>;
  body?: Schema;
  isArrayBody: boolean;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

export function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) return resolve(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!]);
  if (schema.allOf?.length) return resolve(doc, schema.allOf[0]);
  return schema;
}

export function operations(doc: OpenApiDocument): Operation[] {
  const result: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, spec] of Object.entries(methods)) {
      const raw = spec.requestBody?.content?.['application/json']?.schema;
      const body = resolve(doc, raw);
      result.push({
        method: method.toUpperCase(),
        path,
        parameters: spec.parameters ?? [],
        body: body?.type === 'array' ? resolve(doc, body.items) : body,
        isArrayBody: body?.type === 'array',
      });
    }
  }
  return result;
}

/** A plausible value for a schema, so that one field at a time can be made hostile. */
export function plausible(doc: OpenApiDocument, schema: Schema | undefined, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (!s || depth > 4) return 'x';
  if (s.example !== undefined) return s.example;
  if (s.enum?.length) return s.enum[0];
  switch (s.type) {
    case 'string':
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'date-time') return '2027-09-06T09:00:00-06:00';
      if (s.format === 'date') return '2027-09-06';
      return 'text';
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [plausible(doc, s.items, depth + 1)];
    case 'object':
    default:
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, plausible(doc, v, depth + 1)]));
  }
}

/** Values that a careless service answers with a 500, or stores. */
export const HOSTILE_VALUES: unknown[] = [
  null,
  '',
  ' ',
  'x'.repeat(100_000),
  '\u0000',
  '😀🏥💉'.repeat(50),
  "Robert'); DROP TABLE patients;--",
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '${jndi:ldap://x}',
  '%00%ff',
  -1,
  0,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  3.14159,
  true,
  [],
  [null],
  {},
  { $gt: '' },
  { __proto__: { polluted: true } },
  '2026-02-30',
  '2026-13-01T09:00:00-07:00',
  '2026-03-08T02:30:00',
  '2026-03-08T02:30:00-07:00',
  '2026-11-01T01:30:00',
  '9999-12-31T23:59:59Z',
  '0000-00-00',
  '24:00',
  '25:61',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '+1',
  'NaN',
  'Infinity',
];

export const HOSTILE_PATH_VALUES = [
  'x',
  "1' OR 1=1--",
  '..%2F..%2Fetc',
  '%F0%9F%98%80',
  'a'.repeat(2000),
  '2026-02-30',
  '00000000-0000-0000-0000-000000000000',
  randomUUID(),
];
