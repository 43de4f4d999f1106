import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { DataSource } from 'typeorm';
import type { AppointmentType, Treatment } from '../../src/appointments/domain/vocabulary';
import type { ClinicCode, TestContext } from './app';
import { at } from './clinic-time';

/*
 * The rows tests start from. Patients, staff and shifts are inserted with SQL: they are the starting
 * state, some tests run without the app, and hundreds are made at a time. Everything the API itself
 * creates (appointments, courses, trials, authorizations, registered patients) goes through the API
 * as the front desk would, so that a factory row is a row the service wrote.
 */

/** What the factories need of the app under test. */
type Api = Pick<TestContext, 'http' | 'headers' | 'dataSource'>;

// ---- SQL: the starting state -------------------------------------------------------------------

export async function locationId(dataSource: DataSource, code: string): Promise<string> {
  const [row] = await dataSource.query('SELECT id FROM locations WHERE code = $1', [code]);
  return row.id;
}

/** The active resources of a kind at a clinic, by name. */
export async function resourceIds(dataSource: DataSource, code: string, kind: string): Promise<string[]> {
  const rows = await dataSource.query(
    'SELECT r.id FROM resources r JOIN locations l ON l.id = r.location_id WHERE l.code = $1 AND r.kind = $2 AND r.active ORDER BY r.name',
    [code, kind],
  );
  return rows.map((r: { id: string }) => r.id);
}

export interface PatientOverrides {
  smsOptIn?: boolean;
  remsEnrolledAt?: Date | null;
  phone?: string;
  firstName?: string;
  lastName?: string;
  /** The clinic the patient belongs to (who may see them follows from it); Aurora unless told, null for none. */
  preferredLocation?: ClinicCode | null;
}

let patientCounter = 0;

/** A patient row (REMS-enrolled, not opted in to texts unless told, a patient of Aurora unless told): its id. */
export async function createPatient(dataSource: DataSource, overrides: PatientOverrides = {}): Promise<string> {
  patientCounter++;
  const [row] = await dataSource.query(
    `INSERT INTO patients (first_name, last_name, date_of_birth, phone, sms_opt_in, rems_enrolled_at, preferred_location_id)
     VALUES ($1, $2, '1980-05-17', $3, $4, $5, (SELECT id FROM locations WHERE code = $6)) RETURNING id`,
    [
      overrides.firstName ?? 'Test',
      overrides.lastName ?? `Patient${patientCounter}`,
      overrides.phone ?? `+1720555${String(1000 + (patientCounter % 9000)).padStart(4, '0')}`,
      overrides.smsOptIn ?? false,
      overrides.remsEnrolledAt === undefined ? new Date('2025-01-01T00:00:00Z') : overrides.remsEnrolledAt,
      overrides.preferredLocation === undefined ? 'aurora' : overrides.preferredLocation,
    ],
  );
  return row.id;
}

/** `count` patients, one after another; `overrides(i)` for the i-th. */
export async function createPatients(dataSource: DataSource, count: number, overrides: (i: number) => PatientOverrides = () => ({})): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await createPatient(dataSource, overrides(i)));
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

/** `nurses` nurses and a provider on shift all day (07:00–19:00) at the clinic on those dates. */
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

export interface StaffedClinic {
  readonly id: string;
  /** The active treatment chairs, by name. */
  readonly chairs: string[];
  /** A booking here: `type` at a wall time on a date, in the `chair`-th chair if one is given. */
  booking(type: AppointmentType, date: string, time: string, chair?: number): Booking;
}

/**
 * For a describe block, after useTestApp: a clinic with `nurses` nurses and a provider on shift
 * 07:00–19:00 on the dates (set up in a beforeAll), with its id and chairs.
 */
export function useStaffedClinic(t: Pick<TestContext, 'dataSource' | 'locations'>, code: ClinicCode, dates: string[], nurses = 1): StaffedClinic {
  let chairs: string[] | undefined;
  beforeAll(async () => {
    chairs = await resourceIds(t.dataSource, code, 'treatment_chair');
    await staffClinic(t.dataSource, code, dates, nurses);
  });
  return {
    get id() {
      return t.locations[code];
    },
    get chairs() {
      if (!chairs) throw new Error('useStaffedClinic: read it inside hooks and tests');
      return chairs;
    },
    booking(type, date, time, chair) {
      return { type, locationId: this.id, startsAt: at(date, time), ...(chair === undefined ? {} : { resourceId: this.chairs[chair] }) };
    },
  };
}

// ---- Through the API ---------------------------------------------------------------------------

/** The answer's body, checked to be the status wanted; otherwise the problem the service gave. */
async function bodyOf(request: Test, status: number, what: string): Promise<any> {
  const response = await request;
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${response.text}`);
  return response.body;
}

/** What POST /api/appointments takes; without patientId, a new patient (createPatient) is booked. */
export interface Booking {
  patientId?: string;
  type: AppointmentType;
  locationId: string;
  startsAt: string;
  resourceId?: string;
  providerId?: string;
  mode?: 'inPerson' | 'telehealth';
  durationMinutes?: number;
}

/** An appointment as the API answers it (clinic-local instants). */
export interface Appointment {
  id: string;
  patientId: string;
  type: AppointmentType;
  status: string;
  locationId: string;
  resourceId: string | null;
  startsAt: string;
  endsAt: string;
  [field: string]: any;
}

/** POST /api/appointments as the front desk (plus any headers given), for the test to check the answer. */
export function requestBooking(t: Api, body: Record<string, unknown>, headers: Record<string, string> = {}): Test {
  return t.http().post('/api/appointments').set(t.headers.front_desk).set(headers).send(body);
}

/** Books as the front desk; a booking the service refuses throws with its problem. */
export async function bookAppointment(t: Api, booking: Booking, patient: PatientOverrides = {}): Promise<Appointment> {
  const patientId = booking.patientId ?? (await createPatient(t.dataSource, patient));
  return bodyOf(requestBooking(t, { ...booking, patientId }), 201, `booking ${JSON.stringify(booking)}`);
}

/** POST /api/courses as the front desk (or with the headers given), for the test to check the answer. */
export function requestCourse(t: Api, body: Record<string, unknown>, headers: Record<string, string> = t.headers.front_desk): Test {
  return t.http().post('/api/courses').set(headers).send(body);
}

/** Books a whole course as the front desk (201): the course as answered. */
export async function bookCourse(t: Api, body: Record<string, unknown>): Promise<any> {
  return bodyOf(requestCourse(t, body), 201, `course ${JSON.stringify(body)}`);
}

let registered = 0;

/**
 * A valid POST /api/patients body. Last names are letters only (1 → "b", 27 → "bb"), so that a name
 * never looks like a phone fragment to the search.
 */
export function patientBody(overrides: Record<string, unknown> = {}): Record<string, any> {
  registered += 1;
  return {
    firstName: 'Dana',
    lastName: `Testpatient${registered.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)))}`,
    dateOfBirth: '1984-03-17',
    phone: `+1303555${String(1000 + registered).padStart(4, '0')}`,
    smsOptIn: true,
    ...overrides,
  };
}

/** Registers a patient as the front desk (201), at Aurora unless told: the patient as answered. */
export async function registerPatient(t: Api, overrides: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const preferredLocationId = 'preferredLocationId' in overrides ? overrides.preferredLocationId : await locationId(t.dataSource, 'aurora');
  return bodyOf(
    t
      .http()
      .post('/api/patients')
      .set(t.headers.front_desk)
      .send(patientBody({ ...overrides, preferredLocationId })),
    201,
    'registering a patient',
  );
}

/** Records a failed adequate antidepressant trial (or what the overrides say) as the front desk. */
export async function addMedicationTrial(t: Api, patientId: string, overrides: Record<string, unknown> = {}): Promise<any> {
  const trial = { medication: 'sertraline', drugClass: 'SSRI', startedOn: '2025-06-01', weeks: 8, adequate: true, outcome: 'no_response', ...overrides };
  return bodyOf(t.http().post(`/api/patients/${patientId}/medication-trials`).set(t.headers.front_desk).send(trial), 201, 'recording a trial');
}

/** Records a payer authorization (36 TMS sessions over the second half of 2027, unless told) as the front desk. */
export async function addAuthorization(t: Api, patientId: string, overrides: { treatment?: Treatment; [field: string]: unknown } = {}): Promise<any> {
  const authorization = { payer: 'Acme Health', treatment: 'tms', approvedSessions: 36, validFrom: '2027-07-01', validTo: '2027-12-31', ...overrides };
  return bodyOf(t.http().post(`/api/patients/${patientId}/authorizations`).set(t.headers.front_desk).send(authorization), 201, 'recording an authorization');
}
