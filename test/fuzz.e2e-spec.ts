import { useTestApp } from './support/app';
import { HOSTILE_PATH_VALUES, HOSTILE_VALUES, OpenApiDocument, Operation, operations, plausible, resolve } from './support/openapi-fuzz';

/**
 * Hostile input for every endpoint of the OpenAPI document: never a 500, always problem+json on a
 * refusal, and nothing stored when a request is refused.
 */
describe('fuzzing every endpoint from the OpenAPI document', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  let doc: OpenApiDocument;
  let tables: string[];

  beforeAll(async () => {
    doc = (await t.http().get('/docs-json').expect(200)).body;
    const rows: Array<{ table_name: string }> = await t.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
         AND table_name NOT IN ('audit_log', 'migrations', 'idempotency_keys', 'login_failures') ORDER BY table_name`,
    );
    tables = rows.map((r) => r.table_name);
  });

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
      .set(t.headers.admin)
      .query(query as Record<string, string>);
    return body === undefined ? request : request.send(body as object);
  }

  /** A refusal in the route's own error format: problem+json, or under /fhir an OperationOutcome. */
  const isProblem = (response: { headers: Record<string, string>; body: any }, path: string) =>
    path.startsWith('/fhir/')
      ? String(response.headers['content-type']).includes('application/fhir+json') && response.body?.resourceType === 'OperationOutcome'
      : String(response.headers['content-type']).includes('application/problem+json');

  // Thousands of requests, each write followed by a row count of every table: the time grows with the API
  // (about a minute on a quiet machine, four times that when the 2 cores are shared), hence 10 minutes.
  it('answers hostile path parameters, query values and bodies without a 500, and stores nothing it refuses', async () => {
    // Logout would end the admin session the fuzzing runs in, and leave every later case a hollow 401.
    const ops = operations(doc).filter((op) => !op.path.startsWith('/docs') && op.path !== '/api/auth/logout');
    expect(ops.length).toBeGreaterThan(10);
    let requests = 0;
    /** Refusals (4xx), and those of writing requests (after which the row counts are compared). */
    const refused: string[] = [];
    const refusedWrites: string[] = [];
    /** What broke the claim: a refusal that is not problem+json, a refused write that changed rows. */
    const notProblem: string[] = [];
    const storedOnRefusal: Array<{ where: string; before: string; after: string }> = [];
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
        const where = `${operation.method} ${operation.path} ${c.label}`;
        const before = writes ? await snapshot() : '';
        const response = await send(operation, c.path, c.query, c.body);
        requests++;
        expect({ where, status: response.status < 500 ? 'not 5xx' : `${response.status} ${response.text.slice(0, 300)}` }).toEqual({
          where,
          status: 'not 5xx',
        });
        if (response.status < 400) continue;
        refused.push(where);
        if (!isProblem(response, operation.path)) notProblem.push(`${where}: ${response.headers['content-type']}`);
        if (!writes) continue;
        refusedWrites.push(where);
        const after = await snapshot();
        if (after !== before) storedOnRefusal.push({ where, before, after });
      }
    }
    expect(requests).toBeGreaterThan(500);
    // Most hostile input is refused; were none, the two checks below would have checked nothing.
    expect(refused.length).toBeGreaterThan(requests / 2);
    expect(refusedWrites.length).toBeGreaterThan(100);
    expect(notProblem).toEqual([]);
    expect(storedOnRefusal).toEqual([]);
  }, 600_000);

  it('answers malformed bodies and unknown media types on every endpoint that takes a body with 4xx problem+json', async () => {
    // Those that take a body: one without (logout, MFA setup, check-in…) has nothing to refuse in it.
    const writing = operations(doc).filter((op) => ['POST', 'PUT', 'PATCH'].includes(op.method) && op.body !== undefined);
    expect(writing.length).toBeGreaterThan(10);
    const payloads = [
      ['application/json', '{"a":'],
      ['application/json', '\u0000'],
      ['text/plain', 'hello'],
      ['application/xml', '<a/>'],
    ];
    const answers: Array<{ where: string; status: number; problem: boolean }> = [];
    for (const operation of writing) {
      for (const [type, payload] of payloads) {
        const response = await t
          .http()
          [operation.method.toLowerCase() as 'post'](fillPath(operation))
          .set(t.headers.admin)
          .set('content-type', type)
          .send(payload);
        answers.push({
          where: `${operation.method} ${operation.path} ${type} ${JSON.stringify(payload)}`,
          status: response.status,
          problem: isProblem(response, operation.path),
        });
      }
    }
    expect(answers).toHaveLength(writing.length * payloads.length);
    expect(answers.filter((a) => !(a.status >= 400 && a.status < 500 && a.problem))).toEqual([]);
  });
});
