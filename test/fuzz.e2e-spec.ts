import { createTestApp, TestApp } from './support/app';
import { HOSTILE_PATH_VALUES, HOSTILE_VALUES, OpenApiDocument, Operation, operations, plausible, resolve } from './support/openapi-fuzz';

/**
 * Hostile input for every endpoint of the OpenAPI document: never a 500, always problem+json on a
 * refusal, and nothing stored when a request is refused.
 */
describe('fuzzing every endpoint from the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let admin: { Authorization: string };
  let tables: string[];

  beforeAll(async () => {
    t = await createTestApp({ now: '2027-07-01T12:00:00Z' });
    doc = (await t.http().get('/docs-json').expect(200)).body;
    admin = await t.auth('admin');
    const rows: Array<{ table_name: string }> = await t.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
         AND table_name NOT IN ('audit_log', 'migrations', 'idempotency_keys') ORDER BY table_name`,
    );
    tables = rows.map((r) => r.table_name);
  });

  afterAll(() => t.close());

  /** Rows per table (reads may add audit entries; nothing else may change on a refusal). */
  async function snapshot(): Promise<string> {
    const [row] = await t.dataSource.query(`SELECT ${tables.map((name) => `(SELECT count(*) FROM "${name}") AS "${name}"`).join(', ')}`);
    return JSON.stringify(row);
  }

  function fillPath(operation: Operation, value?: string): string {
    return operation.path.replace(/\{(\w+)\}/g, () => encodeURIComponent(value ?? '00000000-0000-4000-8000-000000000000'));
  }

  async function send(operation: Operation, path: string, query: Record<string, unknown>, body: unknown) {
    const request = t
      .http()
      [operation.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path)
      .set(admin)
      .query(query as Record<string, string>);
    return body === undefined ? request : request.send(body as object);
  }

  function expectSafe(operation: Operation, label: string, response: { status: number; headers: Record<string, string>; text: string }) {
    const where = `${operation.method} ${operation.path} ${label}`;
    expect({ where, status: response.status < 500 ? 'not 5xx' : `${response.status} ${response.text.slice(0, 300)}` }).toEqual({ where, status: 'not 5xx' });
    if (response.status >= 400) {
      expect({ where, type: response.headers['content-type'] }).toEqual({ where, type: expect.stringContaining('application/problem+json') });
    }
  }

  // Thousands of requests, each write followed by a row count of every table: the time grows with the API.
  it('answers hostile path parameters, query values and bodies without a 500, and stores nothing it refuses', async () => {
    const ops = operations(doc).filter((op) => !op.path.startsWith('/docs'));
    expect(ops.length).toBeGreaterThan(10);
    let requests = 0;
    for (const operation of ops) {
      const cases: Array<{ label: string; path: string; query: Record<string, unknown>; body: unknown }> = [];
      const writes = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(operation.method);
      const hasPathParams = /\{\w+\}/.test(operation.path);
      const baseQuery = Object.fromEntries(operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, plausible(doc, p.schema)]));
      const baseItem = operation.body ? plausible(doc, operation.body) : undefined;
      const baseBody = operation.isArrayBody ? [baseItem] : baseItem;

      if (hasPathParams)
        for (const value of HOSTILE_PATH_VALUES)
          cases.push({ label: `path=${value.slice(0, 20)}`, path: fillPath(operation, value), query: baseQuery, body: baseBody });
      for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
        for (const value of HOSTILE_VALUES.filter((v) => typeof v === 'string' || typeof v === 'number').slice(0, 14)) {
          cases.push({
            label: `query ${parameter.name}=${String(value).slice(0, 20)}`,
            path: fillPath(operation),
            query: { ...baseQuery, [parameter.name]: value },
            body: baseBody,
          });
        }
      }
      if (operation.body) {
        const properties = Object.keys(resolve(doc, operation.body)?.properties ?? {});
        for (const field of properties) {
          for (const value of HOSTILE_VALUES) {
            const item = { ...(baseItem as Record<string, unknown>), [field]: value };
            cases.push({
              label: `body.${field}=${JSON.stringify(value)?.slice(0, 20)}`,
              path: fillPath(operation),
              query: baseQuery,
              body: operation.isArrayBody ? [item] : item,
            });
          }
          const { [field]: _omitted, ...missing } = baseItem as Record<string, unknown>;
          cases.push({ label: `body without ${field}`, path: fillPath(operation), query: baseQuery, body: operation.isArrayBody ? [missing] : missing });
        }
        for (const whole of ['[]', 'null', '"text"', '42', { unknownField: 1 }, { ...(baseItem as object), extra: 'x' }]) {
          cases.push({ label: `body ${JSON.stringify(whole).slice(0, 20)}`, path: fillPath(operation), query: baseQuery, body: whole });
        }
      }

      for (const c of cases) {
        const before = writes ? await snapshot() : '';
        const response = await send(operation, c.path, c.query, c.body);
        requests++;
        expectSafe(operation, c.label, response);
        if (writes && response.status >= 400) {
          expect({ where: `${operation.method} ${operation.path} ${c.label}`, rows: await snapshot() }).toEqual({
            where: `${operation.method} ${operation.path} ${c.label}`,
            rows: before,
          });
        }
      }
    }
    expect(requests).toBeGreaterThan(500);
  }, 240_000);

  it('answers malformed bodies and unknown media types on every writing endpoint with 4xx problem+json', async () => {
    for (const operation of operations(doc).filter((op) => ['POST', 'PUT', 'PATCH'].includes(op.method))) {
      const path = fillPath(operation);
      for (const [type, payload] of [
        ['application/json', '{"a":'],
        ['application/json', '\u0000'],
        ['text/plain', 'hello'],
        ['application/xml', '<a/>'],
      ]) {
        const response = await t.http()[operation.method.toLowerCase() as 'post'](path).set(admin).set('content-type', type).send(payload);
        expectSafe(operation, `${type} ${payload}`, response);
      }
    }
  });
});
