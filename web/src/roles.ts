import type { Role } from './auth/session';

export type ScreenId = 'day-board' | 'courses' | 'chair-side' | 'rems' | 'admin' | 'reports' | 'staff' | 'security';

export const SCREENS: Record<ScreenId, { path: string; label: string; roles: Role[] }> = {
  'day-board': { path: '/front-desk', label: 'Day board', roles: ['admin', 'front_desk', 'nurse', 'provider'] },
  courses: { path: '/courses', label: 'Course planner', roles: ['admin', 'front_desk', 'provider'] },
  'chair-side': { path: '/nurse', label: 'Chair-side', roles: ['admin', 'nurse', 'provider'] },
  rems: { path: '/provider', label: 'REMS forms', roles: ['admin', 'provider'] },
  admin: { path: '/admin', label: 'Clinic settings', roles: ['admin'] },
  reports: { path: '/reports', label: 'Reports', roles: ['admin', 'front_desk'] },
  staff: { path: '/staff', label: 'Staff', roles: ['admin'] },
  // One's own password and second factor: linked beside the name, not in the navigation.
  security: { path: '/security', label: 'Security', roles: ['admin', 'front_desk', 'nurse', 'provider'] },
};

/** Each role's own start page, and the order of its navigation. */
export const NAV: Record<Role, ScreenId[]> = {
  admin: ['admin', 'staff', 'day-board', 'courses', 'chair-side', 'rems', 'reports'],
  front_desk: ['day-board', 'courses', 'reports'],
  nurse: ['chair-side', 'day-board'],
  provider: ['rems', 'chair-side', 'day-board', 'courses'],
};

export const startPath = (role: Role) => SCREENS[NAV[role][0]].path;

export function screenAt(path: string): ScreenId | undefined {
  return (Object.keys(SCREENS) as ScreenId[]).find((id) => SCREENS[id].path === path);
}

/** Who may book, reschedule and cancel (the API's own roles: front desk, and admin everywhere). */
export const canBook = (role: Role) => role === 'admin' || role === 'front_desk';
/** Who acts chair-side (check-in, vitals, dose, discharge). */
export const canTreat = (role: Role) => role === 'admin' || role === 'nurse' || role === 'provider';

export const ROLE_LABEL: Record<Role, string> = { admin: 'Admin', front_desk: 'Front desk', nurse: 'Nurse', provider: 'Provider' };
