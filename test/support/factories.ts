import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** Rows inserted directly, as the tests' starting state. */
export async function locationId(dataSource: DataSource, code: string): Promise<string> {
  const [row] = await dataSource.query('SELECT id FROM locations WHERE code = $1', [code]);
  return row.id;
}

export async function resourceIds(dataSource: DataSource, code: string, kind: string): Promise<string[]> {
  const rows = await dataSource.query(
    'SELECT r.id FROM resources r JOIN locations l ON l.id = r.location_id WHERE l.code = $1 AND r.kind = $2 AND r.active ORDER BY r.name',
    [code, kind],
  );
  return rows.map((r: { id: string }) => r.id);
}

let patientCounter = 0;

export async function createPatient(
  dataSource: DataSource,
  overrides: { smsOptIn?: boolean; remsEnrolledAt?: Date | null; phone?: string; firstName?: string; lastName?: string } = {},
): Promise<string> {
  patientCounter++;
  const [row] = await dataSource.query(
    `INSERT INTO patients (first_name, last_name, date_of_birth, phone, sms_opt_in, rems_enrolled_at)
     VALUES ($1, $2, '1980-05-17', $3, $4, $5) RETURNING id`,
    [
      overrides.firstName ?? 'Test',
      overrides.lastName ?? `Patient${patientCounter}`,
      overrides.phone ?? `+1720555${String(1000 + (patientCounter % 9000)).padStart(4, '0')}`,
      overrides.smsOptIn ?? false,
      overrides.remsEnrolledAt === undefined ? new Date('2025-01-01T00:00:00Z') : overrides.remsEnrolledAt,
    ],
  );
  return row.id;
}

export async function createPatients(dataSource: DataSource, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await createPatient(dataSource));
  return ids;
}

/** A staff member (no login) who works at the given clinic. */
export async function createStaff(dataSource: DataSource, role: 'nurse' | 'provider', locationCode: string): Promise<string> {
  const [row] = await dataSource.query(`INSERT INTO staff (email, name, role) VALUES ($1, $2, $3) RETURNING id`, [
    `${role}-${randomUUID()}@test.clinic`,
    `Test ${role}`,
    role,
  ]);
  await dataSource.query('INSERT INTO staff_locations (staff_id, location_id) SELECT $1, id FROM locations WHERE code = $2', [row.id, locationCode]);
  return row.id;
}

/** Shifts from `from` to `to` local wall time (America/Denver) on each date. */
export async function addShifts(dataSource: DataSource, staffId: string, locationCode: string, dates: string[], from = '07:00', to = '19:00'): Promise<void> {
  for (const date of dates) {
    await dataSource.query(
      `INSERT INTO staff_shifts (staff_id, location_id, starts_at, ends_at)
       SELECT $1, id, ($3 || ' ' || $4)::timestamp AT TIME ZONE 'America/Denver', ($3 || ' ' || $5)::timestamp AT TIME ZONE 'America/Denver'
         FROM locations WHERE code = $2`,
      [staffId, locationCode, date, from, to],
    );
  }
}

/** A nurse and a provider on shift all day at the clinic on those dates. */
export async function staffClinic(dataSource: DataSource, locationCode: string, dates: string[], nurses = 1): Promise<{ nurses: string[]; provider: string }> {
  const nurseIds: string[] = [];
  for (let i = 0; i < nurses; i++) {
    const nurse = await createStaff(dataSource, 'nurse', locationCode);
    await addShifts(dataSource, nurse, locationCode, dates);
    nurseIds.push(nurse);
  }
  const provider = await createStaff(dataSource, 'provider', locationCode);
  await addShifts(dataSource, provider, locationCode, dates);
  return { nurses: nurseIds, provider };
}
