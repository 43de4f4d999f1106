/**
 * Which patients a set of clinics may see: those whose preferred clinic is one of them, or who have an
 * appointment or a course at one of them (any status: the clinic holds their records). The one definition,
 * used by the access checks and by every list of patients; `patient` is the SQL expression of the patient
 * id, `clinics` the placeholder of a uuid[] of clinic ids.
 */
export function patientVisibleSql(patient: string, clinics: string): string {
  return `(EXISTS (SELECT 1 FROM patients vp WHERE vp.id = ${patient} AND vp.preferred_location_id = ANY(${clinics}))
        OR EXISTS (SELECT 1 FROM appointments va WHERE va.patient_id = ${patient} AND va.location_id = ANY(${clinics}))
        OR EXISTS (SELECT 1 FROM courses vc WHERE vc.patient_id = ${patient} AND vc.location_id = ANY(${clinics})))`;
}
