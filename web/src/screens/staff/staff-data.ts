import type { Location, Schemas } from '../../api/client';

export type StaffMember = Schemas['StaffResponse'];
/** Every staff list's query key starts with this (invalidated after any change). */
export const STAFF_KEY = ['staff'] as const;

export const clinicNames = (member: StaffMember, clinics: Location[]) =>
  member.locationIds.map((id) => clinics.find((c) => c.id === id)?.name ?? '?').join(', ') || 'none';
