import { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from '../auth/password-hasher';
import { addDays, clinicDateOf } from '../common/clinic-time';
import { holidayOn } from '../locations/domain/holidays';
import type { ResourceKind } from '../locations/domain/resources';
import type { Role } from '../staff/domain/roles';
import { rosterShifts } from './domain/demo-roster';

/** Arbitrary constant: instances starting together seed one after another. */
const SEED_LOCK_KEY = 724_310_002;

export const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; password: string; name: string; role: Role }> = [
  { email: 'admin@demo.clinic', password: 'demo-admin', name: 'Alex Admin', role: 'admin' },
  { email: 'frontdesk@demo.clinic', password: 'demo-frontdesk', name: 'Frankie Desk', role: 'front_desk' },
  { email: 'nurse@demo.clinic', password: 'demo-nurse', name: 'Nina Nurse', role: 'nurse' },
  { email: 'provider@demo.clinic', password: 'demo-provider', name: 'Dr. Priya Provider', role: 'provider' },
];

export const DEMO_RESOURCES: Record<string, Array<[ResourceKind, string, number]>> = {
  aurora: [
    ['treatment_chair', 'Chair', 6],
    ['tms_device', 'TMS', 3],
    ['ect_suite', 'ECT Suite', 1],
    ['recovery_bay', 'Recovery Bay', 2],
  ],
  louisville: [
    ['treatment_chair', 'Chair', 4],
    ['tms_device', 'TMS', 2],
  ],
  westminster: [
    ['treatment_chair', 'Chair', 4],
    ['tms_device', 'TMS', 2],
  ],
};

/** Mon–Fri 07:00–19:00. */
export const DEMO_HOURS = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '07:00', closes: '19:00' }));

/**
 * Who works the opening hours of each clinic. The demo nurse and provider accounts (which belong to
 * every clinic) are rostered at Aurora; everyone else belongs to their clinic only and has no password.
 */
export const DEMO_ROSTER: Record<string, ReadonlyArray<{ email: string; name: string; role: Role }>> = {
  aurora: [
    { email: 'nurse@demo.clinic', name: 'Nina Nurse', role: 'nurse' },
    { email: 'provider@demo.clinic', name: 'Dr. Priya Provider', role: 'provider' },
    { email: 'aurora-nurse2@demo.clinic', name: 'Rosa Nurse', role: 'nurse' },
  ],
  louisville: [
    { email: 'louisville-nurse@demo.clinic', name: 'Lena Nurse', role: 'nurse' },
    { email: 'louisville-provider@demo.clinic', name: 'Dr. Leo Provider', role: 'provider' },
  ],
  westminster: [
    { email: 'westminster-nurse@demo.clinic', name: 'Wendy Nurse', role: 'nurse' },
    { email: 'westminster-provider@demo.clinic', name: 'Dr. Wes Provider', role: 'provider' },
  ],
};

/** How far ahead the demo roster reaches; every start extends it to this horizon. */
export const DEMO_ROSTER_WEEKS = 26;

export interface SeedStep {
  (manager: EntityManager, locations: Array<{ id: string; code: string }>): Promise<void>;
}

interface SeedLocation {
  id: string;
  code: string;
  timezone: string;
}

/**
 * Staffs every clinic's opening hours from today to the roster horizon, skipping closures and the public
 * holidays the clinic does not open on (a rule, not seeded rows: src/locations/domain/holidays.ts). Shifts that
 * exist (or overlap one that does: ex_staff_shifts_overlap) are left alone, so a restart only adds the
 * days the horizon has moved on by. One INSERT per staff member keeps the test template fast.
 */
async function seedDemoRoster(manager: EntityManager, locations: SeedLocation[], now: Date): Promise<void> {
  for (const location of locations) {
    const roster = DEMO_ROSTER[location.code];
    if (!roster) continue;
    const range = { from: clinicDateOf(now, location.timezone), days: DEMO_ROSTER_WEEKS * 7 };
    const hours: Array<{ weekday: number; opens: string; closes: string }> = await manager.query(
      `SELECT weekday, to_char(opens, 'HH24:MI') AS opens, to_char(closes, 'HH24:MI') AS closes
       FROM location_hours WHERE location_id = $1`,
      [location.id],
    );
    const closed: Array<{ date: string }> = await manager.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM closures WHERE location_id = $1 AND date BETWEEN $2 AND $3`,
      [location.id, range.from, addDays(range.from, range.days)],
    );
    const [{ openings }]: Array<{ openings: string[] }> = await manager.query(
      `SELECT coalesce(array_agg(to_char(d, 'YYYY-MM-DD')), '{}') AS openings FROM locations, unnest(holiday_openings) AS d WHERE id = $1`,
      [location.id],
    );
    const closedDates = new Set(closed.map((c) => c.date));
    for (let i = 0; i <= range.days; i++) {
      const date = addDays(range.from, i);
      if (holidayOn(date) && !openings.includes(date)) closedDates.add(date);
    }
    const shifts = rosterShifts(range, hours, closedDates, location.timezone);

    for (const member of roster) {
      // The statement's snapshot does not see its own insert: exactly one of the two halves answers.
      const [staff]: Array<{ id: string; created: boolean }> = await manager.query(
        `WITH inserted AS (
           INSERT INTO staff (email, name, role) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id
         )
         SELECT id, true AS created FROM inserted
         UNION ALL SELECT id, false AS created FROM staff WHERE email = $1`,
        [member.email, member.name, member.role],
      );
      if (staff.created) {
        await manager.query('INSERT INTO staff_locations (staff_id, location_id) VALUES ($1, $2)', [staff.id, location.id]);
      }
      // Only while they are active and still work at that clinic.
      await manager.query(
        `INSERT INTO staff_shifts (staff_id, location_id, starts_at, ends_at)
         SELECT $1, $2, t.starts_at, t.ends_at FROM unnest($3::timestamptz[], $4::timestamptz[]) AS t(starts_at, ends_at)
         WHERE EXISTS (
           SELECT 1 FROM staff s JOIN staff_locations sl ON sl.staff_id = s.id
           WHERE s.id = $1 AND s.active AND sl.location_id = $2
         )
         ON CONFLICT DO NOTHING`,
        [staff.id, location.id, shifts.map(([s]) => s.toISOString()), shifts.map(([, e]) => e.toISOString())],
      );
    }
  }
}

/**
 * Idempotent demo data: resources, opening hours, the four demo accounts and a staff roster (plus any
 * further steps the feature modules add). Runs under an advisory lock, in one transaction. `now` decides
 * where the roster starts. Public holidays need no rows: they are a rule of the booking calendar.
 */
export async function seedDemoData(dataSource: DataSource, extraSteps: SeedStep[] = [], now = new Date()): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    const locations: SeedLocation[] = await manager.query('SELECT id, code, timezone FROM locations ORDER BY code');

    for (const location of locations) {
      for (const [kind, prefix, count] of DEMO_RESOURCES[location.code] ?? []) {
        for (let n = 1; n <= count; n++) {
          const name = count === 1 ? prefix : `${prefix} ${n}`;
          await manager.query(
            `INSERT INTO resources (location_id, name, kind) VALUES ($1, $2, $3)
             ON CONFLICT (location_id, name) DO NOTHING`,
            [location.id, name, kind],
          );
        }
      }
      const [{ count }] = await manager.query('SELECT count(*)::int AS count FROM location_hours WHERE location_id = $1', [location.id]);
      if (count === 0) {
        for (const hours of DEMO_HOURS) {
          await manager.query('INSERT INTO location_hours (location_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)', [
            location.id,
            hours.weekday,
            hours.opens,
            hours.closes,
          ]);
        }
      }
    }

    for (const account of DEMO_ACCOUNTS) {
      const [existing] = await manager.query('SELECT id FROM staff WHERE email = $1', [account.email]);
      if (existing) continue;
      const [row] = await manager.query('INSERT INTO staff (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id', [
        account.email,
        account.name,
        account.role,
        await hashPassword(account.password),
      ]);
      await manager.query('INSERT INTO staff_locations (staff_id, location_id) SELECT $1, id FROM locations', [row.id]);
    }

    await seedDemoRoster(manager, locations, now);

    for (const step of extraSteps) await step(manager, locations);
  });
}
