import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/**
 * The public holiday on `date` the clinic is closed for (the booking rules close every holiday the clinic
 * does not open on deliberately), from the clinic's settings: its holidays of the next 12 months.
 */
export function useHolidayClosure(locationId: string | undefined, date: string): string | null {
  const settings = useQuery({
    queryKey: ['clinic-settings', locationId ?? ''],
    enabled: !!locationId,
    staleTime: 10 * 60_000,
    queryFn: async () => unwrap(await api.GET('/api/locations/{id}/settings', { params: { path: { id: locationId! } } })),
  });
  const holiday = settings.data?.upcomingHolidays.find((h) => h.date === date);
  return holiday && !holiday.open ? holiday.name : null;
}
