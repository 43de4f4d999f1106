import type { Role } from '../../src/staff/domain/roles';
import type { TestApp } from './app';

/** A Monday beyond the demo roster's horizon (MDT, -06:00): only the shifts a test adds exist. */
export const SESSION_DAY = '2027-08-02';
export const local = (time: string, date = SESSION_DAY) => `${date}T${time}:00-06:00`;

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

/**
 * The session workflow over HTTP, as the front desk (booking) and the nurses and providers use it.
 * Logs every demo role in first, so each call returns supertest's request (with .expect).
 */
export async function sessionClient(t: TestApp) {
  const roles: Role[] = ['admin', 'front_desk', 'nurse', 'provider'];
  const headers = new Map<Role, { Authorization: string }>();
  for (const role of roles) headers.set(role, await t.auth(role));
  const post = (role: Role, path: string, body?: object) =>
    t
      .http()
      .post(`/api${path}`)
      .set(headers.get(role)!)
      .send(body ?? {});
  const get = (role: Role, path: string) => t.http().get(`/api${path}`).set(headers.get(role)!);
  const patch = (role: Role, path: string, body: object) => t.http().patch(`/api${path}`).set(headers.get(role)!).send(body);
  return {
    post,
    get,
    patch,
    async book(body: Record<string, unknown>): Promise<string> {
      const response = await post('front_desk', '/appointments', body);
      if (response.status !== 201) throw new Error(`booking failed: ${response.status} ${response.text}`);
      return response.body.id;
    },
    checkIn: (id: string, role: Role = 'nurse') => post(role, `/appointments/${id}/check-in`),
    start: (id: string, role: Role = 'nurse') => post(role, `/appointments/${id}/start`),
    endTreatment: (id: string, role: Role = 'nurse') => post(role, `/appointments/${id}/treatment-end`),
    vitals: (id: string, body: object, role: Role = 'nurse') => post(role, `/appointments/${id}/vitals`, body),
    clear: (id: string, reason: string, role: Role = 'provider') => post(role, `/appointments/${id}/dosing-clearance`, { reason }),
    dose: (id: string, body: object, role: Role = 'nurse') => post(role, `/appointments/${id}/doses`, body),
    discharge: (id: string, body: object, role: Role = 'nurse') => post(role, `/appointments/${id}/discharge`, body),
  };
}

export type SessionClient = Awaited<ReturnType<typeof sessionClient>>;

/** The status and earliest discharge as stored. */
export async function storedAppointment(t: TestApp, id: string): Promise<{ status: string; earliest_discharge_at: Date | null }> {
  const [row] = await t.dataSource.query('SELECT status, earliest_discharge_at FROM appointments WHERE id = $1', [id]);
  return row;
}
