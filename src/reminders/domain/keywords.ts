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
  if (typeof body !== 'string' || body.length > 40) return undefined;
  const normalized = body
    .trim()
    .replace(/[.!?]+$/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toUpperCase();
  return KEYWORDS.get(normalized);
}
