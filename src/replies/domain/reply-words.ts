import { normalizeReply } from '../../reminders/domain/keywords';

/**
 * What a patient's reply says, read as a whole message (case, surrounding spaces and closing punctuation
 * ignored): yes (C, Y, YES, CONFIRM: confirm a reminder's appointment, take an offer), reschedule (R,
 * RESCHEDULE: not CANCEL, which is an opt-out word), no (N, NO: pass on an offer), or the number of a time
 * offered. STOP, START and HELP never get here: they are read first, and keep their meaning above all.
 */
export type ReplyWord = { kind: 'yes' } | { kind: 'reschedule' } | { kind: 'no' } | { kind: 'choice'; number: number };

const WORDS = new Map<string, ReplyWord>([
  ...['C', 'Y', 'YES', 'CONFIRM', 'CONFIRMED'].map((w) => [w, { kind: 'yes' }] as const),
  ...['R', 'RESCHEDULE'].map((w) => [w, { kind: 'reschedule' }] as const),
  ...['N', 'NO'].map((w) => [w, { kind: 'no' }] as const),
]);

export function parseReplyWord(body: string | undefined | null): ReplyWord | undefined {
  const normalized = normalizeReply(body);
  if (normalized === undefined) return undefined;
  const choice = /^#?([1-9])\)?$/.exec(normalized);
  if (choice) return { kind: 'choice', number: Number(choice[1]) };
  return WORDS.get(normalized);
}

/** The word as stored with the message (`sms_inbound_messages.intent`). */
export function intentOf(word: ReplyWord | undefined): string {
  return word ? (word.kind === 'choice' ? 'choice' : word.kind) : 'other';
}
