import { useTestApp } from './support/app';
import { OpenApiDocument, operations, plausible, resolve } from './support/openapi-fuzz';
import { createPatient, registerPatient } from './support/factories';

/**
 * Input no valid request carries: a NUL character (PostgreSQL refuses it in text, 22021) and JSON nested
 * tens of thousands deep (a stack overflow in the recursive validators). Both are a 400 problem+json
 * naming the field, for every operation of the OpenAPI document, and nothing is stored.
 */
describe('hostile input: NUL characters and deep nesting', () => {
  const t = useTestApp({ now: '2027-07-01T12:00:00Z' });
  let doc: OpenApiDocument;

  beforeAll(async () => {
    doc = (await t.http().get('/docs-json').expect(200)).body;
  });

  /** problem+json, or under /fhir an OperationOutcome (application/fhir+json). */
  const isProblem = (response: { headers: Record<string, string>; body?: { resourceType?: string } }) =>
    String(response.headers['content-type']).includes('application/problem+json') ||
    (String(response.headers['content-type']).includes('application/fhir+json') && response.body?.resourceType === 'OperationOutcome');
  /** The field a refusal names: in `errors`, or in an OperationOutcome's issue expression. */
  const namesField = (body: { errors?: Array<{ field: string }>; issue?: Array<{ expression?: string[] }> }, field: string) =>
    (body.errors ?? []).some((e) => e.field === field || e.field === `[0].${field}`) || (body.issue ?? []).some((i) => (i.expression ?? []).includes(field));

  function send(method: string, path: string) {
    return t.http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path).set(t.headers.admin);
  }

  it('answers a NUL in any string query value or body field of every operation with 400 naming it', async () => {
    const ops = operations(doc).filter((op) => !op.path.startsWith('/docs') && !op.path.includes('/webhooks/sms'));
    const patient = await createPatient(t.dataSource);
    const notRefused: string[] = [];
    let probes = 0;
    for (const op of ops) {
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'date' ? '2027-07-02' : patient));
      const baseQuery = Object.fromEntries(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, plausible(doc, p.schema)]));
      const baseBody = op.body ? (plausible(doc, op.body) as Record<string, unknown>) : undefined;
      for (const parameter of op.parameters.filter((p) => p.in === 'query')) {
        probes++;
        const response = await send(op.method, path).query({ ...baseQuery, [parameter.name]: 'ab\u0000cd' });
        const named = namesField(response.body, parameter.name);
        if (response.status !== 400 || !isProblem(response) || !named) notRefused.push(`${op.method} ${op.path} ?${parameter.name}: ${response.status}`);
      }
      for (const field of Object.keys(resolve(doc, op.body)?.properties ?? {})) {
        probes++;
        const item = { ...baseBody, [field]: 'ab\u0000cd' };
        const response = await send(op.method, path).send(op.isArrayBody ? [item] : item);
        const named = namesField(response.body, field);
        if (response.status !== 400 || !isProblem(response) || !named) notRefused.push(`${op.method} ${op.path} ${field}: ${response.status}`);
      }
    }
    expect(probes).toBeGreaterThan(100);
    expect(notRefused).toEqual([]);
  });

  it('answers a NUL in a search, a path parameter and the login with 400, and stores nothing', async () => {
    const search = await t.http().get('/api/patients').query({ search: 'Smi\u0000th' }).set(t.headers.front_desk);
    expect(search.status).toBe(400);
    expect(search.body.errors).toEqual([{ field: 'search', message: 'must not contain a NUL character' }]);
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM patients');
    const created = await t.http().post('/api/patients').set(t.headers.front_desk).send({
      firstName: 'Dana\u0000',
      lastName: 'X',
      dateOfBirth: '1980-01-01',
      phone: '+13035550199',
      smsOptIn: false,
      preferredLocationId: t.locations.aurora,
    });
    expect(created.status).toBe(400);
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM patients')).toEqual(before);
    const login = await t.http().post('/api/auth/login').send({ email: 'admin@demo.clinic', password: 'demo-admin\u0000' });
    expect(login.status).toBe(400);
    expect(isProblem(login)).toBe(true);
    const patient = await registerPatient(t, { preferredLocationId: t.locations.aurora });
    const cancel = await t.http().post(`/api/courses/${patient.id}/cancel`).set(t.headers.front_desk).send({ reason: 'x\u0000' });
    expect(cancel.status).toBe(400);
  });

  it('answers JSON nested tens of thousands deep with 400 problem+json, on every body-taking operation', async () => {
    const depth = 50_000;
    const deepObject = `{"reason":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const ops = operations(doc).filter((op) => op.body && !op.path.includes('/webhooks/sms'));
    expect(ops.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const op of ops) {
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'date' ? '2027-07-02' : '00000000-0000-4000-8000-000000000000'));
      for (const body of [deepObject, deepArray]) {
        const response = await send(op.method, path).set('content-type', 'application/json').send(body);
        if (response.status !== 400 || !isProblem(response)) wrong.push(`${op.method} ${op.path}: ${response.status}`);
      }
    }
    expect(wrong).toEqual([]);
    const login = await t.http().post('/api/auth/login').set('content-type', 'application/json').send(deepObject);
    expect(login.status).toBe(400);
  });
});
