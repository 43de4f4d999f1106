import { isCalendarDate } from '../../common/validation';

/** What a front-desk search box means: a name fragment, a phone number or a date of birth. */
export type PatientMatch =
  | { kind: 'all' }
  | { kind: 'name'; pattern: string }
  | { kind: 'phone'; phone: string }
  | { kind: 'dateOfBirth'; date: string }
  | { kind: 'invalid'; message: string };

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const PHONE_SHAPE = /^\+?[\d\s().-]+$/;

/** A LIKE pattern that matches the text anywhere, with the user's % _ \ taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A phone as typed ("(303) 555-0100", "303.555.0100", "+1 303 555 0100") to E.164; ten digits are a
 * North American number, as every clinic of the group is in Colorado.
 */
export function normalizePhone(typed: string): string {
  const digits = typed.replace(/\D/g, '');
  if (typed.trim().startsWith('+')) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  return `+${digits}`;
}

export function parsePatientSearch(raw: string | undefined): PatientMatch {
  const text = (raw ?? '').trim().replace(/\s+/g, ' ');
  if (!text) return { kind: 'all' };
  if (DATE_SHAPE.test(text)) {
    return isCalendarDate(text) ? { kind: 'dateOfBirth', date: text } : { kind: 'invalid', message: 'search is not a valid date YYYY-MM-DD' };
  }
  if (PHONE_SHAPE.test(text) && /\d/.test(text)) return { kind: 'phone', phone: normalizePhone(text) };
  // "Smith,John" and "Smith , John" mean "Smith, John".
  return { kind: 'name', pattern: containsPattern(text.replace(/\s*,\s*/g, ', ')) };
}
