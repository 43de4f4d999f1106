import { APPOINTMENT_TYPES, type AppointmentType } from '../../appointments/domain/vocabulary';
import { typeFromId, typeToId } from './codes';

/**
 * Slots are computed, never stored; an id says how to compute one again: the schedule, what the slot is
 * (a free start for a type, or busy) and its start in epoch seconds: `<schedule>.<type|busy>.<seconds>`,
 * within FHIR's 64 characters.
 */
export type SlotKey = { scheduleId: string; start: Date } & ({ status: 'free'; type: AppointmentType } | { status: 'busy' });

export function slotIdOf(key: SlotKey): string {
  return `${key.scheduleId}.${key.status === 'free' ? typeToId(key.type) : 'busy'}.${Math.floor(key.start.getTime() / 1000)}`;
}

export function parseSlotId(id: string): SlotKey | undefined {
  const match = /^([0-9a-f-]{36})\.([a-z-]+)\.(\d{9,11})$/.exec(id);
  if (!match) return undefined;
  const [, scheduleId, what, seconds] = match;
  const start = new Date(Number(seconds) * 1000);
  if (what === 'busy') return { scheduleId, status: 'busy', start };
  const type = typeFromId(what);
  return (APPOINTMENT_TYPES as readonly string[]).includes(type) ? { scheduleId, status: 'free', type: type as AppointmentType, start } : undefined;
}
