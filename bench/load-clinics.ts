import { DataSource } from 'typeorm';
import { DEMO_ACCOUNTS } from '../src/seed/demo-seed';

/** The demo clinics every copy is made from, in group order: a group is one of each. */
export const TEMPLATE_CLINICS = ['aurora', 'louisville', 'westminster'] as const;

/** The code of a clinic in group `group` (1 = the demo clinics themselves). */
export const clinicCode = (template: (typeof TEMPLATE_CLINICS)[number], group: number) => (group === 1 ? template : `${template}-${group}`);

/**
 * A larger clinic group for the scale bench: `groups - 1` more copies of the three demo clinics (same
 * resources, opening hours, closures, and a roster of their own with the same shifts), so that every
 * clinic is as busy as the demo ones and the group has 3 × `groups` clinics. The demo accounts belong to
 * every clinic, as they belong to the demo ones.
 */
export async function addClinicGroups(ds: DataSource, groups: number): Promise<number> {
  let added = 0;
  for (let group = 2; group <= groups; group++) {
    await ds.transaction(async (manager) => {
      for (const template of TEMPLATE_CLINICS) {
        const [source] = await manager.query('SELECT id FROM locations WHERE code = $1', [template]);
        const [{ id }] = await manager.query(
          `INSERT INTO locations (code, name, timezone, address, phone, observation_patients_per_nurse, slot_minutes, occupancy_overrides, ride_share_accepted)
           SELECT $2, name || ' ' || $3, timezone, address, phone, observation_patients_per_nurse, slot_minutes, occupancy_overrides, ride_share_accepted
             FROM locations WHERE id = $1
           RETURNING id`,
          [source.id, clinicCode(template, group), group],
        );
        await manager.query(`INSERT INTO resources (location_id, name, kind, active) SELECT $2, name, kind, active FROM resources WHERE location_id = $1`, [
          source.id,
          id,
        ]);
        await manager.query(
          `INSERT INTO location_hours (location_id, weekday, opens, closes) SELECT $2, weekday, opens, closes FROM location_hours WHERE location_id = $1`,
          [source.id, id],
        );
        await manager.query(`INSERT INTO closures (location_id, date, reason) SELECT $2, date, reason FROM closures WHERE location_id = $1`, [source.id, id]);
        // The roster: a copy of each nurse and provider working the template clinic, with the same shifts there.
        const rostered: Array<{ id: string; email: string; name: string; role: string }> = await manager.query(
          `SELECT DISTINCT s.id, s.email, s.name, s.role FROM staff s JOIN staff_shifts sh ON sh.staff_id = s.id WHERE sh.location_id = $1`,
          [source.id],
        );
        for (const member of rostered) {
          const [copy] = await manager.query(`INSERT INTO staff (email, name, role) VALUES ($1, $2, $3) RETURNING id`, [
            `g${group}.${member.email}`,
            member.name,
            member.role,
          ]);
          await manager.query('INSERT INTO staff_locations (staff_id, location_id) VALUES ($1, $2)', [copy.id, id]);
          await manager.query(
            `INSERT INTO staff_shifts (staff_id, location_id, starts_at, ends_at) SELECT $3, $4, starts_at, ends_at FROM staff_shifts WHERE staff_id = $1 AND location_id = $2`,
            [member.id, source.id, copy.id, id],
          );
        }
        await manager.query(`INSERT INTO staff_locations (staff_id, location_id) SELECT id, $2 FROM staff WHERE email = ANY($1::text[])`, [
          DEMO_ACCOUNTS.map((a) => a.email),
          id,
        ]);
        added++;
      }
    });
  }
  return added;
}
