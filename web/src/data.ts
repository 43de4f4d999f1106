import { useQueries, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Appointment, type Location, type Patient } from './api/client';
import { useSessionUser } from './auth/use-session';
import { setQuery, useLocation } from './router';

/**
 * The clinic's event stream (live/use-live-events.ts) invalidates the boards as changes commit; this slow
 * poll is only a safety net for a stream that is silently stuck.
 */
export const LIVE_REFETCH_MS = 60_000;

export const keys = {
  locations: ['locations'] as const,
  resources: (locationId: string) => ['resources', locationId] as const,
  hours: (locationId: string) => ['hours', locationId] as const,
  closures: (locationId: string, date: string) => ['closures', locationId, date] as const,
  day: (locationId: string, date: string) => ['appointments', locationId, date] as const,
  patient: (id: string) => ['patient', id] as const,
  observation: (locationId: string) => ['observation', locationId] as const,
  session: (appointmentId: string) => ['session', appointmentId] as const,
  vitals: (appointmentId: string) => ['vitals', appointmentId] as const,
  remsPending: (locationId: string) => ['rems-pending', locationId] as const,
  remsForm: (appointmentId: string) => ['rems-form', appointmentId] as const,
  clearances: (locationId: string) => ['clearances', locationId] as const,
};

export function useLocations() {
  return useQuery({ queryKey: keys.locations, queryFn: async () => unwrap(await api.GET('/api/locations')), staleTime: 10 * 60_000 });
}

/**
 * The clinic a screen shows: `?clinic=<code>` when the user works there, else their first clinic.
 * `forbidden` is a clinic named in the URL that the user does not work at (shown, never loaded).
 */
export function useClinic(): { clinic: Location | undefined; clinics: Location[]; forbidden: string | null; isLoading: boolean } {
  const user = useSessionUser();
  const { query } = useLocation();
  const locations = useLocations();
  const all = locations.data ?? [];
  // Admins act on every clinic; everyone else on their own (GET /api/auth/me), which is all the pickers offer.
  const mine = !user ? [] : user.role === 'admin' ? all : all.filter((l) => user.locationIds.includes(l.id));
  const wanted = query.get('clinic');
  const named = wanted ? all.find((l) => l.code === wanted) : undefined;
  if (named && !mine.includes(named)) return { clinic: undefined, clinics: mine, forbidden: named.name, isLoading: false };
  // The service lists only a non-admin's own clinics: a code it did not list is another clinic's.
  if (wanted && !named && locations.isSuccess) return { clinic: undefined, clinics: mine, forbidden: `the clinic "${wanted}"`, isLoading: false };
  return { clinic: named ?? mine[0], clinics: mine, forbidden: null, isLoading: locations.isLoading };
}

export function selectClinic(code: string): void {
  setQuery({ clinic: code });
}

export function useResources(locationId: string | undefined) {
  return useQuery({
    queryKey: keys.resources(locationId ?? ''),
    enabled: !!locationId,
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET('/api/locations/{id}/resources', { params: { path: { id: locationId! } } })),
  });
}

export function useHours(locationId: string | undefined) {
  return useQuery({
    queryKey: keys.hours(locationId ?? ''),
    enabled: !!locationId,
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET('/api/locations/{id}/hours', { params: { path: { id: locationId! } } })),
  });
}

export function useClosure(locationId: string | undefined, date: string) {
  return useQuery({
    queryKey: keys.closures(locationId ?? '', date),
    enabled: !!locationId,
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const closures = unwrap(await api.GET('/api/locations/{id}/closures', { params: { path: { id: locationId! }, query: { from: date, to: date } } }));
      return closures.find((c) => c.date === date) ?? null;
    },
  });
}

export function useDayAppointments(locationId: string | undefined, date: string) {
  return useQuery({
    queryKey: keys.day(locationId ?? '', date),
    enabled: !!locationId,
    refetchInterval: LIVE_REFETCH_MS,
    queryFn: async () => unwrap(await api.GET('/api/appointments', { params: { query: { locationId: locationId!, date } } })),
  });
}

/**
 * Patients by id, one GET each (cached; every read is audited by the service): for lists that carry ids
 * only, and for a patient's details. A clinic's day list brings its names itself (dayNames).
 */
export function usePatients(ids: string[]): Map<string, Patient> {
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: keys.patient(id),
      staleTime: 5 * 60_000,
      queryFn: async () => unwrap(await api.GET('/api/patients/{id}', { params: { path: { id } } })),
    })),
  });
  const byId = new Map<string, Patient>();
  results.forEach((r, i) => r.data && byId.set(unique[i], r.data));
  return byId;
}

/** What a name on screen needs: a patient, or the summary a clinic's day list carries. */
export type PatientNames = Pick<Patient, 'firstName' | 'lastName'>;

export const patientName = (p: PatientNames | undefined) => (p ? `${p.lastName}, ${p.firstName}` : 'Loading patient…');

/** The names a clinic's day list brings with its appointments (no request per patient). */
export function dayNames(appointments: Appointment[]): Map<string, PatientNames> {
  return new Map(appointments.flatMap((a) => (a.patient ? [[a.patientId, a.patient] as const] : [])));
}

export const TYPE_LABEL: Record<Appointment['type'], string> = {
  spravato: 'Spravato',
  ketamine: 'IV ketamine',
  tms: 'TMS',
  ect: 'ECT',
  intake: 'Intake',
  follow_up: 'Follow-up',
};

export const STATUS_LABEL: Record<Appointment['status'], string> = {
  scheduled: 'Scheduled',
  checked_in: 'Checked in',
  in_treatment: 'In treatment',
  observing: 'Observing',
  discharged: 'Discharged',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};
