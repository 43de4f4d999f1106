import { DataSource } from 'typeorm';

/**
 * Up to 500 patients a course dry run from `startDate` can be planned for, as the bench's front desk sees
 * them: patients of the given clinics (an appointment there: clinic scoping), those with nothing booked from
 * the week before the start to 20 weeks after it first, then the least busy in that span. At 20x the first
 * patients by id are in loaded courses of their own at the same hours, and every dry run was refused
 * (`course-unplaceable`) instead of measured; at 1x every patient has appointments in those weeks, and the
 * planner places a course around the few of the least busy (the table prints the dry runs' statuses).
 */
export async function freePatients(ds: DataSource, clinicIds: string[], startDate: string): Promise<string[]> {
  const rows: Array<{ id: string }> = await ds.query(
    `SELECT v.id FROM (SELECT DISTINCT patient_id AS id FROM appointments WHERE location_id = ANY($1::uuid[])) v
       CROSS JOIN LATERAL (SELECT count(*) AS busy FROM appointments a
                            WHERE a.patient_id = v.id AND a.status NOT IN ('cancelled', 'no_show')
                              AND a.starts_at >= $2::date - 7 AND a.starts_at < $2::date + 140) b
      ORDER BY b.busy, v.id LIMIT 500`,
    [clinicIds, startDate],
  );
  if (!rows.length) throw new Error(`no patient of these clinics for a course from ${startDate}`);
  return rows.map((row) => row.id);
}
