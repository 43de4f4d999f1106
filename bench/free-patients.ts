import { DataSource } from 'typeorm';

/**
 * Up to 500 patients a course dry run from `startDate` can be planned for, as the bench's front desk sees
 * them: patients of the given clinics (an appointment there: clinic scoping) with nothing booked from the
 * week before the start to 20 weeks after it. At 20x the first patients by id are in loaded courses of
 * their own at the same hours, and every dry run was refused (`course-unplaceable`) instead of measured.
 */
export async function freePatients(ds: DataSource, clinicIds: string[], startDate: string): Promise<string[]> {
  const rows: Array<{ id: string }> = await ds.query(
    `SELECT v.id FROM (SELECT DISTINCT patient_id AS id FROM appointments WHERE location_id = ANY($1::uuid[])) v
      WHERE NOT EXISTS (SELECT 1 FROM appointments a
                         WHERE a.patient_id = v.id AND a.status NOT IN ('cancelled', 'no_show')
                           AND a.starts_at >= $2::date - 7 AND a.starts_at < $2::date + 140)
      ORDER BY v.id LIMIT 500`,
    [clinicIds, startDate],
  );
  if (!rows.length) throw new Error(`no patient is free for a course from ${startDate}`);
  return rows.map((row) => row.id);
}
