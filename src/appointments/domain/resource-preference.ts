/**
 * A patient's stable preference among resources (rendezvous hashing: each resource scores
 * hash(patient, resource), highest first). The same patient gets the same chair or device whenever it is
 * free, which keeps a TMS course on one device; different patients spread over the resources, so
 * concurrent bookings of one time rarely reach for the same one. Adding or retiring a resource moves only
 * the patients whose first choice it is.
 */
export function resourcePreference(patientId: string, resourceId: string): number {
  // FNV-1a (32 bits) over both ids.
  let hash = 0x811c9dc5;
  const key = `${patientId}/${resourceId}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** `resources` in the patient's order of preference (ties, which are vanishingly rare, by id). */
export function inPreferenceOrder<T extends { id: string }>(resources: T[], patientId: string): T[] {
  return resources
    .map((resource) => ({ resource, score: resourcePreference(patientId, resource.id) }))
    .sort((a, b) => b.score - a.score || (a.resource.id < b.resource.id ? -1 : 1))
    .map((entry) => entry.resource);
}
