import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Appointment } from '../../api/client';
import { keys } from '../../data';
import { clinicInstant, clinicMinutes, fromMinutes, toMinutes } from '../../time';

export interface BlockMove {
  appointment: Appointment;
  resourceId: string;
  /** Where the block (its resource's segment) now starts, clinic-local. */
  startTime: string;
}

/**
 * A block dropped on a free slot: PATCH /api/appointments/{id} under every booking rule, as the dialog's
 * Reschedule does. The block is the resource's segment; the appointment starts as far after it as before.
 */
export function useMoveBlock(locationId: string | undefined, date: string, zone: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ appointment: a, resourceId, startTime }: BlockMove) => {
      const lead = clinicMinutes(a.startsAt, zone) - clinicMinutes(a.segments[0].startsAt, zone);
      const startsAt = clinicInstant(date, fromMinutes(toMinutes(startTime) + lead), zone);
      if (!startsAt) throw new Error(`${startTime} does not exist on ${date} (the clocks go forward).`);
      return unwrap(
        await api.PATCH('/api/appointments/{id}', {
          params: { path: { id: a.id } },
          body: { startsAt, ...(resourceId !== a.resourceId ? { resourceId } : {}) },
        }),
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.day(locationId ?? '', date) }),
  });
}
