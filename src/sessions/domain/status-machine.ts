/**
 * The chair-side status machine: scheduled → checked_in → in_treatment → observing → discharged
 * (cancelled and no_show are set by the appointments module). Which action may move which status
 * depends on the treatment.
 */
import type { AppointmentStatus, AppointmentType } from '../../appointments/domain/vocabulary';

export const SESSION_ACTIONS = ['check_in', 'start', 'dose', 'treatment_end', 'discharge'] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

export interface Refusal {
  rule: string;
  detail: string;
}

export type Transition = { ok: true; to: AppointmentStatus } | ({ ok: false } & Refusal);

/** Treatments the patient is watched after (observation or recovery) before going home. */
const OBSERVED: readonly AppointmentType[] = ['spravato', 'ketamine', 'ect'];

const ACTION_NAMES: Record<SessionAction, string> = {
  check_in: 'check in',
  start: 'start',
  dose: 'record a dose for',
  treatment_end: 'end the treatment of',
  discharge: 'discharge',
};

interface Rule {
  types: readonly AppointmentType[] | 'all';
  from: readonly AppointmentStatus[];
  to: AppointmentStatus;
}

function ruleFor(type: AppointmentType, action: SessionAction): Rule | string {
  switch (action) {
    case 'check_in':
      return { types: 'all', from: ['scheduled'], to: 'checked_in' };
    case 'start':
      return { types: 'all', from: ['checked_in'], to: 'in_treatment' };
    case 'dose':
      return type === 'spravato' ? { types: ['spravato'], from: ['checked_in', 'in_treatment'], to: 'observing' } : 'only a Spravato session has doses';
    case 'treatment_end':
      return type === 'ketamine' || type === 'ect'
        ? { types: ['ketamine', 'ect'], from: ['in_treatment'], to: 'observing' }
        : 'only a ketamine infusion or an ECT treatment ends into recovery';
    case 'discharge':
      return OBSERVED.includes(type) ? { types: OBSERVED, from: ['observing'], to: 'discharged' } : { types: 'all', from: ['in_treatment'], to: 'discharged' };
  }
}

/** Where `action` takes an appointment of `type` that is `status`, or why it may not. */
export function transition(type: AppointmentType, status: AppointmentStatus, action: SessionAction): Transition {
  const rule = ruleFor(type, action);
  if (typeof rule === 'string') return { ok: false, rule: 'treatment-type', detail: `Cannot ${ACTION_NAMES[action]} a ${type} appointment: ${rule}.` };
  if (!rule.from.includes(status)) {
    return {
      ok: false,
      rule: 'status',
      detail: `Cannot ${ACTION_NAMES[action]} an appointment that is ${status}; it must be ${rule.from.join(' or ')}.`,
    };
  }
  return { ok: true, to: rule.to };
}

/** Statuses in which staff chart at the chair (vitals, TMS records). */
export const CHARTING_STATUSES: readonly AppointmentStatus[] = ['checked_in', 'in_treatment', 'observing'];
