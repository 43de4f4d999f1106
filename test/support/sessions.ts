import type { Role } from '../../src/staff/domain/roles';
import type { TestContext } from './app';

/** A Monday beyond the demo roster's horizon (summer): only the shifts a test adds exist. */
export const SESSION_DAY = '2027-08-02';

/** A normal set of vitals, to override per test. */
export const vitalsBody = (timepoint: string, overrides: Record<string, unknown> = {}) => ({
  timepoint,
  systolic: 124,
  diastolic: 78,
  heartRate: 72,
  spo2: 98,
  respiratoryRate: 14,
  ...overrides,
});

/** The session workflow over HTTP, as the nurses and providers use it; each call returns supertest's request (with .expect). */
export function sessionClient(t: Pick<TestContext, 'http' | 'headers'>) {
  const post = (role: Role, path: string, body?: object) =>
    t
      .http()
      .post(`/api${path}`)
      .set(t.headers[role])
      .send(body ?? {});
  const get = (role: Role, path: string) => t.http().get(`/api${path}`).set(t.headers[role]);
  const patch = (role: Role, path: string, body: object) => t.http().patch(`/api${path}`).set(t.headers[role]).send(body);
  return {
    post,
    get,
    patch,
    checkIn: (id: string, role: Role = 'nurse') => post(role, `/appointments/${id}/check-in`),
    start: (id: string, role: Role = 'nurse') => post(role, `/appointments/${id}/start`),
    endTreatment: (id: string, role: Role = 'nurse') => post(role, `/appointments/${id}/treatment-end`),
    vitals: (id: string, body: object, role: Role = 'nurse') => post(role, `/appointments/${id}/vitals`, body),
    clear: (id: string, reason: string, role: Role = 'provider') => post(role, `/appointments/${id}/dosing-clearance`, { reason }),
    dose: (id: string, body: object, role: Role = 'nurse') => post(role, `/appointments/${id}/doses`, body),
    discharge: (id: string, body: object, role: Role = 'nurse') => post(role, `/appointments/${id}/discharge`, body),
  };
}

export type SessionClient = ReturnType<typeof sessionClient>;

/** The status and earliest discharge as stored. */
export async function storedAppointment(t: Pick<TestContext, 'dataSource'>, id: string): Promise<{ status: string; earliest_discharge_at: Date | null }> {
  const [row] = await t.dataSource.query('SELECT status, earliest_discharge_at FROM appointments WHERE id = $1', [id]);
  return row;
}
