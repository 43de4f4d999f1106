import { DataSource } from 'typeorm';

/** Active segments that overlap on one resource: must always be empty. */
export async function resourceDoubleBookings(dataSource: DataSource): Promise<unknown[]> {
  // Written so that the exclusion constraint's gist index answers the inner lookup.
  return dataSource.query(`
    SELECT a.appointment_id AS first, b.appointment_id AS second, a.resource_id
      FROM appointment_segments a
      JOIN LATERAL (
        SELECT appointment_id FROM appointment_segments b
         WHERE b.active AND b.resource_id = a.resource_id AND b.id > a.id
           AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(a.starts_at, a.ends_at, '[)')) b ON true
     WHERE a.active`);
}

/** Active appointments of one patient that overlap: must always be empty. */
export async function patientDoubleBookings(dataSource: DataSource): Promise<unknown[]> {
  return dataSource.query(`
    SELECT a.id AS first, b.id AS second, a.patient_id
      FROM appointments a
      JOIN appointments b
        ON a.patient_id = b.patient_id AND a.id < b.id
       AND a.status NOT IN ('cancelled', 'no_show') AND b.status NOT IN ('cancelled', 'no_show')
       AND tstzrange(a.occupancy_starts_at, a.occupancy_ends_at, '[)') && tstzrange(b.occupancy_starts_at, b.occupancy_ends_at, '[)')`);
}

/**
 * Moments where more patients are in observation/recovery than the nurses on shift may watch: must
 * always be empty. Checked at every observation start (the count only rises there).
 */
export async function nurseCapacityBreaches(dataSource: DataSource): Promise<unknown[]> {
  return dataSource.query(`
    WITH active AS (
      SELECT id, location_id, observation_starts_at AS s, observation_ends_at AS e
        FROM appointments
       WHERE observation_starts_at IS NOT NULL AND status NOT IN ('cancelled', 'no_show')
    ), moments AS (
      SELECT DISTINCT location_id, s AS at FROM active
    )
    SELECT m.location_id, m.at,
           (SELECT count(*) FROM active o WHERE o.location_id = m.location_id AND o.s <= m.at AND o.e > m.at) AS watching,
           (SELECT count(DISTINCT sh.staff_id) FROM staff_shifts sh JOIN staff st ON st.id = sh.staff_id
             WHERE st.role = 'nurse' AND st.active AND sh.location_id = m.location_id AND sh.starts_at <= m.at AND sh.ends_at > m.at)
             * (SELECT observation_patients_per_nurse FROM locations WHERE id = m.location_id) AS capacity
      FROM moments m
     WHERE (SELECT count(*) FROM active o WHERE o.location_id = m.location_id AND o.s <= m.at AND o.e > m.at)
         > (SELECT count(DISTINCT sh.staff_id) FROM staff_shifts sh JOIN staff st ON st.id = sh.staff_id
             WHERE st.role = 'nurse' AND st.active AND sh.location_id = m.location_id AND sh.starts_at <= m.at AND sh.ends_at > m.at)
           * (SELECT observation_patients_per_nurse FROM locations WHERE id = m.location_id)`);
}
