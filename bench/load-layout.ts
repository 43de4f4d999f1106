import { addDays, clinicInstant, weekdayOf } from '../src/common/clinic-time';
import type { AppointmentType } from '../src/appointments/domain/vocabulary';
import { planAppointment } from '../src/appointments/domain/appointment-types';

/**
 * A realistic, conflict-free week-day layout of a clinic group's calendar, computed without a database:
 * chairs about 70 % occupied in opening hours (Spravato and ketamine waves), TMS devices near full
 * (20 of 24 half-hours), ECT in the morning. Each patient has at most one appointment a day, and at any
 * moment no more chairs and bays are in observation than the clinic's nurses may watch.
 */
export interface ClinicResources {
  locationId: string;
  code: string;
  chairs: string[];
  tmsDevices: string[];
  ectSuite?: string;
  recoveryBays: string[];
}

export interface LaidOutAppointment {
  patientIndex: number;
  type: AppointmentType;
  locationId: string;
  startsAt: Date;
  /** One resource per segment of the type's plan. */
  resourceIds: string[];
}

/** Two alternating chair days: waves that leave about 25–30 % of the chair free. */
const CHAIR_PATTERNS: Array<Array<[AppointmentType, string]>> = [
  [
    ['spravato', '07:00'],
    ['spravato', '09:30'],
    ['ketamine', '13:00'],
    ['spravato', '15:00'],
  ],
  [
    ['ketamine', '07:00'],
    ['spravato', '09:00'],
    ['spravato', '11:30'],
    ['ketamine', '14:15'],
    ['ketamine', '16:15'],
  ],
];

/** The last chair of each clinic keeps mornings free for courses and walk-in bookings. */
const LIGHT_CHAIR_PATTERN: Array<[AppointmentType, string]> = [
  ['ketamine', '13:00'],
  ['spravato', '15:00'],
];

const TMS_SLOTS = 24;
const ECT_TIMES = ['07:30', '08:00', '08:30', '09:30', '10:00', '10:30'];

export interface PatientPools {
  tms: number;
  chair: number;
  ect: number;
}

/** Patient index ranges: TMS patients come daily, chair patients twice a week, ECT three times. */
export function poolsFor(patients: number): { tms: [number, number]; chair: [number, number]; ect: [number, number] } {
  const tms = Math.floor(patients * 0.2);
  const ect = Math.max(30, Math.floor(patients * 0.05));
  return { tms: [0, tms], chair: [tms, patients - ect], ect: [patients - ect, patients] };
}

export function layoutDay(date: string, dayIndex: number, clinics: ClinicResources[], patients: number): LaidOutAppointment[] {
  const weekday = weekdayOf(date);
  if (weekday > 5) return [];
  const pools = poolsFor(patients);
  const result: LaidOutAppointment[] = [];
  let chairPatient = pools.chair[0] + ((dayIndex * 97) % (pools.chair[1] - pools.chair[0]));
  let tmsPatient = pools.tms[0];
  const nextChairPatient = () => {
    const index = chairPatient;
    chairPatient = chairPatient + 1 >= pools.chair[1] ? pools.chair[0] : chairPatient + 1;
    return index;
  };

  // ECT patients are numbered across the clinics with an ECT suite, so no patient is at two of them at once.
  const ectClinics = clinics.filter((clinic) => clinic.ectSuite && clinic.recoveryBays.length >= 2).length;
  let ectClinic = 0;
  for (const clinic of clinics) {
    clinic.chairs.forEach((chair, c) => {
      const pattern = c === clinic.chairs.length - 1 ? LIGHT_CHAIR_PATTERN : CHAIR_PATTERNS[(c + dayIndex) % 2];
      for (const [type, time] of pattern) {
        result.push({ patientIndex: nextChairPatient(), type, locationId: clinic.locationId, startsAt: clinicInstant(date, time)!, resourceIds: [chair] });
      }
    });
    clinic.tmsDevices.forEach((device, d) => {
      // Free each day per device: one 90-minute gap (room for a course's 75-minute first session) and one
      // half-hour, moving through the day: 20 of 24 half-hours booked.
      const gap = (d * 5 + dayIndex * 3) % (TMS_SLOTS - 3);
      const free = new Set([gap, gap + 1, gap + 2, (gap + 12) % TMS_SLOTS]);
      for (let slot = 0; slot < TMS_SLOTS; slot++) {
        const patientIndex = tmsPatient++;
        if (free.has(slot) || patientIndex >= pools.tms[1]) continue;
        const minutes = 7 * 60 + slot * 30;
        const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
        result.push({ patientIndex, type: 'tms', locationId: clinic.locationId, startsAt: clinicInstant(date, time)!, resourceIds: [device] });
      }
    });
    if (clinic.ectSuite && clinic.recoveryBays.length >= 2 && [1, 3, 5].includes(weekday)) {
      const first = ectClinic++ * ECT_TIMES.length;
      ECT_TIMES.forEach((time, i) => {
        const patientIndex = pools.ect[0] + ((dayIndex * ECT_TIMES.length * ectClinics + first + i) % (pools.ect[1] - pools.ect[0]));
        result.push({
          patientIndex,
          type: 'ect',
          locationId: clinic.locationId,
          startsAt: clinicInstant(date, time)!,
          resourceIds: [clinic.ectSuite!, clinic.recoveryBays[i % 2]],
        });
      });
    }
  }
  return result;
}

export function layoutRange(firstDate: string, days: number, clinics: ClinicResources[], patients: number, closed: Set<string>): LaidOutAppointment[] {
  const all: LaidOutAppointment[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(firstDate, i);
    for (const item of layoutDay(date, i, clinics, patients)) {
      if (!closed.has(`${item.locationId}:${date}`)) all.push(item);
    }
  }
  return all;
}

/** The columns of one laid-out appointment, from the same occupancy plan booking uses. */
export function rowsOf(item: LaidOutAppointment) {
  const plan = planAppointment(item.type, item.startsAt);
  return {
    plan,
    segments: plan.segments.map((segment, i) => ({ ...segment, resourceId: item.resourceIds[i] })),
  };
}
