import type { OccupancyExtension } from '../appointments/booking.service';
import { CLINIC_ZONE, localParts } from '../common/clinic-time';

/** What the nurse is told when a late dose or treatment ran into the chair's next booking. */
export function overrunWarnings(extension: OccupancyExtension): string[] {
  const time = (date: Date) => localParts(date, CLINIC_ZONE).time;
  return [
    ...extension.moved.map(
      (m) =>
        `The chair is held until ${time(extension.extendedTo!)}: its next booking (appointment ${m.appointmentId}) was moved to ${m.toResourceName}, same time.`,
    ),
    ...extension.conflicts.map(
      (c) =>
        `The chair is held until ${time(extension.extendedTo!)}, after its next booking starts (${time(c.startsAt)}) and no other is free: it is on the front desk's worklist.`,
    ),
  ];
}
