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

/**
 * Patients over a treatment frequency: two Spravato, ketamine or ECT treatments on one local day, two
 * standard TMS sessions on one day, or three Spravato sessions in 7 days no provider overrode. Must always
 * be empty (the booking rules never override here).
 */
export async function treatmentFrequencyBreaches(dataSource: DataSource): Promise<unknown[]> {
  return dataSource.query(`
    WITH active AS (
      SELECT a.id, a.patient_id, a.type, (a.starts_at AT TIME ZONE 'America/Denver')::date AS day,
             a.type = 'tms' AND a.day_group IS NULL AS accelerated
        FROM appointments a
       WHERE a.status NOT IN ('cancelled', 'no_show') AND a.type IN ('spravato', 'ketamine', 'ect', 'tms')
         AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'appointment.override' AND l.entity_id = a.id::text))
    SELECT patient_id, day, 'one a day' AS rule, array_agg(id) AS ids FROM active WHERE type <> 'tms'
     GROUP BY patient_id, day HAVING count(*) > 1
    UNION ALL
    SELECT patient_id, day, 'standard TMS once a day', array_agg(id) FROM active WHERE type = 'tms' AND NOT accelerated
     GROUP BY patient_id, day HAVING count(*) > 1
    UNION ALL
    SELECT s.patient_id, s.day, 'Spravato twice in 7 days', array_agg(o.id)
      FROM active s JOIN active o ON o.patient_id = s.patient_id AND o.type = 'spravato' AND o.day BETWEEN s.day AND s.day + 6
     WHERE s.type = 'spravato'
     GROUP BY s.patient_id, s.day HAVING count(*) > 2`);
}
