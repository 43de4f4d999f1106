import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createTestDatabase } from './support/database';
import { createPatient, locationId, resourceIds } from './support/factories';

/** The invariants hold in the database itself, whatever the service does. */
describe('exclusion constraints (bypassing the service)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let ds: DataSource;
  let aurora: string;
  let chair: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(database.url, 4)).initialize();
    aurora = await locationId(ds, 'aurora');
    [chair] = await resourceIds(ds, 'aurora', 'treatment_chair');
  });

  afterAll(async () => {
    await ds.destroy();
    await database.drop();
  });

  async function insertAppointment(patientId: string, start: string, end: string, status = 'scheduled'): Promise<string> {
    const [row] = await ds.query(
      `INSERT INTO appointments (patient_id, type, status, location_id, starts_at, ends_at, occupancy_starts_at, occupancy_ends_at)
       VALUES ($1, 'spravato', $5, $2, $3, $4, $3, $4) RETURNING id`,
      [patientId, aurora, start, end, status],
    );
    return row.id;
  }

  const insertSegment = (appointmentId: string, start: string, end: string, active = true) =>
    ds.query(`INSERT INTO appointment_segments (appointment_id, resource_id, kind, starts_at, ends_at, active) VALUES ($1, $2, 'treatment', $3, $4, $5)`, [
      appointmentId,
      chair,
      start,
      end,
      active,
    ]);

  it('refuses two active segments that overlap on one resource, and allows back-to-back ones', async () => {
    const a = await insertAppointment(await createPatient(ds), '2027-09-01T15:00:00Z', '2027-09-01T17:30:00Z');
    const b = await insertAppointment(await createPatient(ds), '2027-09-01T17:00:00Z', '2027-09-01T19:30:00Z');
    await insertSegment(a, '2027-09-01T15:00:00Z', '2027-09-01T17:30:00Z');
    await expect(insertSegment(b, '2027-09-01T17:00:00Z', '2027-09-01T19:30:00Z')).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: '23P01', constraint: 'ex_segments_resource_overlap' }),
    });
    // [) bounds: ending at 17:30 and starting at 17:30 do not overlap.
    await insertSegment(b, '2027-09-01T17:30:00Z', '2027-09-01T20:00:00Z');
    // An inactive (cancelled) segment holds nothing.
    await insertSegment(b, '2027-09-01T15:30:00Z', '2027-09-01T16:00:00Z', false);
  });

  it('refuses two active appointments of one patient that overlap, but not a cancelled one', async () => {
    const patient = await createPatient(ds);
    await insertAppointment(patient, '2027-09-02T15:00:00Z', '2027-09-02T17:30:00Z');
    await expect(insertAppointment(patient, '2027-09-02T17:00:00Z', '2027-09-02T18:00:00Z')).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: '23P01', constraint: 'ex_appointments_patient_overlap' }),
    });
    await insertAppointment(patient, '2027-09-02T17:00:00Z', '2027-09-02T18:00:00Z', 'cancelled');
    await insertAppointment(patient, '2027-09-02T17:00:00Z', '2027-09-02T18:00:00Z', 'no_show');
  });

  it('holds under concurrent inserts from separate connections', async () => {
    const patients = await Promise.all(Array.from({ length: 10 }, () => createPatient(ds)));
    const appointments = await Promise.all(
      patients.map((p, i) =>
        insertAppointment(p, `2027-09-03T${String(10 + i).padStart(2, '0')}:00:00Z`, `2027-09-03T${String(10 + i).padStart(2, '0')}:30:00Z`),
      ),
    );
    const results = await Promise.allSettled(appointments.map((id) => insertSegment(id, '2027-09-03T20:00:00Z', '2027-09-03T21:00:00Z')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});
