/** What an inbound text asks for; anything else is not a keyword and gets no answer. */
export type SmsKeyword = 'stop' | 'start' | 'help';

/** CTIA / carrier opt-out words (Twilio's list plus the spelled-out "opt out" and "stop all"). */
const STOP_WORDS = ['STOP', 'STOPALL', 'STOP ALL', 'QUIT', 'END', 'REVOKE', 'OPT OUT', 'OPTOUT', 'OPT-OUT', 'CANCEL', 'UNSUBSCRIBE'];
/** Not YES: a patient answering "yes" to a question must not change their consent. */
const START_WORDS = ['START', 'UNSTOP'];
const HELP_WORDS = ['HELP', 'INFO'];

const KEYWORDS = new Map<string, SmsKeyword>([
  ...STOP_WORDS.map((w) => [w, 'stop'] as const),
  ...START_WORDS.map((w) => [w, 'start'] as const),
  ...HELP_WORDS.map((w) => [w, 'help'] as const),
]);

/**
 * The keyword a whole message is, in any case, with surrounding spaces or closing punctuation
 * ("Stop.", "  opt   out "); a keyword inside a sentence ("please stop by at 3") is not one.
 */
export function parseKeyword(body: string | undefined | null): SmsKeyword | undefined {
  const normalized = normalizeReply(body);
  return normalized === undefined ? undefined : KEYWORDS.get(normalized);
}

/**
 * A short message as one word or phrase: upper case, single spaces, without surrounding spaces or
 * closing punctuation ("  Yes! " is "YES"). Undefined for a message too long to be a one-word answer.
 */
export function normalizeReply(body: string | undefined | null): string | undefined {
  if (typeof body !== 'string' || body.length > 40) return undefined;
  return body
    .trim()
    .replace(/[.!?]+$/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toUpperCase();
}
