import { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from '../auth/password-hasher';
import type { ResourceKind } from '../locations/resource.entity';
import type { Role } from '../staff/staff.entity';

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

export interface SeedStep {
  (manager: EntityManager, locations: Array<{ id: string; code: string }>): Promise<void>;
}

/**
 * Idempotent demo data: resources, opening hours and the four demo accounts (plus any further steps
 * the feature modules add). Runs under an advisory lock, in one transaction.
 */
export async function seedDemoData(dataSource: DataSource, extraSteps: SeedStep[] = []): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    const locations: Array<{ id: string; code: string }> = await manager.query('SELECT id, code FROM locations');

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
      const [{ count }] = await manager.query('SELECT count(*)::int AS count FROM location_hours WHERE location_id = $1', [
        location.id,
      ]);
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
      const [row] = await manager.query(
        'INSERT INTO staff (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id',
        [account.email, account.name, account.role, await hashPassword(account.password)],
      );
      await manager.query('INSERT INTO staff_locations (staff_id, location_id) SELECT $1, id FROM locations', [row.id]);
    }

    for (const step of extraSteps) await step(manager, locations);
  });
}
