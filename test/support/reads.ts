import type { Role } from '../../src/staff/domain/roles';
import type { TestContext } from './app';

/** Reads of what the service stored, as the API shows it or straight from the tables. */
type Api = Pick<TestContext, 'http' | 'headers' | 'dataSource'>;

/** An appointment's texts as GET /api/appointments/:id/reminders lists them (front desk unless told). */
export async function remindersOf(t: Api, appointmentId: string, role: Role = 'front_desk'): Promise<any[]> {
  return (await t.http().get(`/api/appointments/${appointmentId}/reminders`).set(t.headers[role]).expect(200)).body;
}

/** The SMS outbox to one number, as an admin sees it. */
export async function outboxFor(t: Api, phone: string, limit?: number): Promise<any[]> {
  const query = limit === undefined ? { to: phone } : { to: phone, limit };
  return (await t.http().get('/api/sms/outbox').query(query).set(t.headers.admin).expect(200)).body;
}

/** How many courses and appointments a patient has, as stored. */
export async function storedCounts(t: Pick<TestContext, 'dataSource'>, patientId: string): Promise<{ courses: number; appointments: number }> {
  const [row] = await t.dataSource.query(
    `SELECT (SELECT count(*)::int FROM courses WHERE patient_id = $1) AS courses, (SELECT count(*)::int FROM appointments WHERE patient_id = $1) AS appointments`,
    [patientId],
  );
  return row;
}
