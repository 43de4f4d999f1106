import { daysBetween, localParts, weekdayOf } from '../../common/clinic-time';
import type { Preparation, ReminderKind } from './reminder-planner';

/** A text must fit in two SMS segments. */
export const MAX_TEXT_LENGTH = 320;

/**
 * Words that would disclose a treatment or a diagnosis. Every text is checked against them (and a unit
 * test renders every template); a clinic name or address that contains one is left out of the text.
 */
export const FORBIDDEN_WORDS = [
  'spravato',
  'esketamine',
  'ketamine',
  'tms',
  'magnetic',
  'ect',
  'electroconvulsive',
  'electro',
  'convulsive',
  'seizure',
  'anesthesia',
  'anaesthesia',
  'depression',
  'depressive',
  'depressed',
  'psychiatr',
  'infusion',
  'nasal',
  'treatment-resistant',
  'treatment resistant',
  'mental',
  'suicid',
  'mdd',
  'trd',
  'rems',
  'dose',
  'dosing',
];

/** Short words match as whole words only ('ect' is not in 'select'); longer ones as word prefixes ('psychiatr' in 'psychiatry'). */
const FORBIDDEN_PATTERN = new RegExp(
  FORBIDDEN_WORDS.map((word) => {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[ -]/g, '[\\s-]?');
    return word.length <= 4 ? `\\b${escaped}\\b` : `\\b${escaped}`;
  }).join('|'),
  'i',
);

export function findForbiddenWord(text: string): string | undefined {
  return FORBIDDEN_PATTERN.exec(text)?.[0];
}

export interface ClinicContact {
  name: string;
  address: string;
  phone: string;
}

export interface ReminderTextInput {
  kind: ReminderKind;
  clinic: ClinicContact;
  startsAt: Date;
  /** When the text goes out: "today" and "tomorrow" are relative to it. */
  sendAt: Date;
  zone: string;
  preparation?: Preparation;
  telehealth?: boolean;
}

const PREPARATION_LINES: Record<Preparation, string> = {
  fasting_escort: 'Nothing to eat or drink after midnight before it, and bring an adult who can take you home.',
  ride_home: 'Please arrange a ride home: no driving until the next day.',
};

const FALLBACK_CLINIC_NAME = 'Your clinic';

/** +13035550140 → (303) 555-0140; other numbers as stored. */
export function formatPhone(phone: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : phone;
}

/** Keeps texts plain: ASCII only (one GSM-7 segment holds 160 of them), single spaces. */
function plain(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20-\x7E]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function safe(value: string | undefined | null): string | undefined {
  const text = plain(value ?? '');
  return text && !findForbiddenWord(text) ? text : undefined;
}

const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "9:00 AM" and "Mon, Jan 4" (en-US), local to the zone. */
function when(startsAt: Date, sendAt: Date, zone: string, relative: boolean): string {
  const start = localParts(startsAt, zone);
  const hour = Math.floor(start.minutes / 60);
  const time = `${hour % 12 || 12}:${String(start.minutes % 60).padStart(2, '0')} ${hour < 12 ? 'AM' : 'PM'}`;
  const date = `${WEEKDAYS[weekdayOf(start.date)]}, ${MONTHS[Number(start.date.slice(5, 7)) - 1]} ${Number(start.date.slice(8, 10))}`;
  if (relative) {
    const days = daysBetween(localParts(sendAt, zone).date, start.date);
    if (days === 0) return `today at ${time}`;
    if (days === 1) return `tomorrow, ${date}, at ${time}`;
  }
  return `${date} at ${time}`;
}

/** What a reminder (not the booking's confirmation) asks; R, because CANCEL is an opt-out word. */
export const REPLY_LINE = 'Reply C to confirm, R to reschedule.';

/**
 * The body of one reminder: the clinic's name, the local date and time, the clinic's address (not for a
 * video visit) and phone, the preparation line, how to stop. Never the treatment or a diagnosis.
 */
export function renderReminderText(input: ReminderTextInput): string {
  const clinic = safe(input.clinic.name) ?? FALLBACK_CLINIC_NAME;
  const address = safe(input.clinic.address);
  const phone = formatPhone(input.clinic.phone);
  const relative = input.kind !== 'confirmation' && input.kind !== 'rescheduled';
  const at = when(input.startsAt, input.sendAt, input.zone, relative);
  const headline =
    input.kind === 'confirmation'
      ? `${clinic}: your appointment is booked for ${at}.`
      : input.kind === 'rescheduled'
        ? `${clinic}: your appointment has moved to ${at}.`
        : `${clinic} reminder: your appointment is ${at}.`;
  const where = input.telehealth ? 'It is a video visit.' : address ? `Address: ${address}.` : undefined;
  const preparation = input.preparation ? PREPARATION_LINES[input.preparation] : undefined;
  const call = `Questions or changes: ${phone}.`;
  // Reminders ask for an answer; the booking's own confirmation and a move announce only.
  const reply = relative ? REPLY_LINE : undefined;

  // Longest first; drop what matters least until it fits.
  const variants = [
    [headline, where, preparation, call, reply, 'Reply STOP to opt out.'],
    [headline, where, preparation, call, reply, 'STOP to opt out.'],
    [headline, preparation, call, reply, 'STOP to opt out.'],
    [headline, preparation, `Call ${phone}.`, reply, 'STOP to end.'],
    [headline, preparation, `Call ${phone}.`, 'STOP to end.'],
  ];
  for (const parts of variants) {
    const text = plain(parts.filter(Boolean).join(' '));
    if (text.length <= MAX_TEXT_LENGTH) return text;
  }
  return plain(variants[variants.length - 1].filter(Boolean).join(' ')).slice(0, MAX_TEXT_LENGTH);
}

export interface AnswerTextInput {
  clinic: ClinicContact;
  zone: string;
}

function clinicName(clinic: ClinicContact): string {
  return safe(clinic.name) ?? FALLBACK_CLINIC_NAME;
}

/** Keeps an answer within one text's limit (they are short; a very long clinic name is what could push one over). */
function fit(text: string): string {
  return plain(text).slice(0, MAX_TEXT_LENGTH);
}

/** The thank-you for a C (or YES) to a reminder. */
export function renderConfirmedText(input: AnswerTextInput & { startsAt: Date }): string {
  return fit(`${clinicName(input.clinic)}: thank you, your appointment on ${when(input.startsAt, input.startsAt, input.zone, false)} is confirmed.`);
}

/** The answer to R: up to three numbered times (never the treatment), or that the clinic will call. */
export function renderRescheduleOptionsText(input: AnswerTextInput & { starts: Date[] }): string {
  const name = clinicName(input.clinic);
  const phone = formatPhone(input.clinic.phone);
  if (input.starts.length === 0) {
    return fit(`${name}: we have no other time within a week of your appointment, so the clinic will call you to find one. Questions: ${phone}.`);
  }
  const options = input.starts.map((start, i) => `${i + 1}) ${when(start, start, input.zone, false)}`).join(' ');
  const choose = ['Reply 1', 'Reply 1 or 2', 'Reply 1, 2 or 3'][input.starts.length - 1];
  return fit(`${name}: we can move your appointment to ${options}. ${choose} to choose, or call ${phone}.`);
}

/** A picked time (or an offer) was taken meanwhile: a person will follow up. */
export function renderTakenText(input: AnswerTextInput): string {
  return fit(`${clinicName(input.clinic)}: sorry, that time is no longer available. The clinic will call you. Questions: ${formatPhone(input.clinic.phone)}.`);
}

/** A freed slot offered to a waitlisted patient: the time and how long it is held, never the treatment. */
export function renderOfferText(input: AnswerTextInput & { startsAt: Date; expiresAt: Date }): string {
  const held = localParts(input.expiresAt, input.zone);
  const hour = Math.floor(held.minutes / 60);
  const until = `${hour % 12 || 12}:${String(held.minutes % 60).padStart(2, '0')} ${hour < 12 ? 'AM' : 'PM'}`;
  return fit(
    `${clinicName(input.clinic)}: a time opened up on ${when(input.startsAt, input.startsAt, input.zone, false)}. ` +
      `Reply YES to take it or NO to pass. We hold it for you until ${until}.`,
  );
}

/** The answer to NO to an offer. */
export function renderOfferDeclinedText(input: AnswerTextInput): string {
  return fit(`${clinicName(input.clinic)}: thank you, you stay on our waiting list.`);
}

/** The one confirmation of an opt-out. */
export function renderOptOutText(): string {
  return 'You are unsubscribed from appointment texts and will get no more messages. Reply START to subscribe again.';
}

export function renderOptInText(): string {
  return 'You will get appointment texts again. Reply HELP for help, STOP to opt out.';
}

/** The answer to HELP: the clinic's name and phone and how to stop. */
export function renderHelpText(clinic: ClinicContact): string {
  const name = safe(clinic.name) ?? FALLBACK_CLINIC_NAME;
  return plain(
    `${name} appointment texts. For help call ${formatPhone(clinic.phone)}. Reply STOP to opt out, START to opt back in. Msg & data rates may apply.`,
  );
}
