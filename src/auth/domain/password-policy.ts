import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** NIST SP 800-63B as domain.md asks: long, not common or breached, no composition rules. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
/** zxcvbn's score (0–4): below this, a password falls to a guessing attack that knows common patterns. */
const MIN_SCORE = 3;

let checker: ZxcvbnFactory | undefined;
let common: Set<string> | undefined;

/** Built on first use: the dictionaries (about 49,000 common and breached passwords) are decompressed once. */
function load(): { checker: ZxcvbnFactory; common: Set<string> } {
  checker ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  common ??= new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));
  return { checker, common };
}

/**
 * Why a password may not be set, or undefined when it may: shorter than 12 characters, on the list of
 * common and breached passwords (zxcvbn-ts's, MIT), guessable from such words and patterns (repeats,
 * sequences, keyboard walks, dates, l33t), or containing the name part of the account's email.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must have at most ${MAX_PASSWORD_LENGTH} characters`;
  const namePart = email?.split('@')[0]?.trim().toLowerCase() ?? '';
  if (namePart.length >= 3 && password.toLowerCase().includes(namePart)) return 'must not contain the name part of the email';
  const { checker, common } = load();
  if (common.has(password.toLowerCase())) return 'is a common or breached password';
  const result = checker.check(password, namePart ? [namePart] : []);
  if (result.score < MIN_SCORE) return 'is too easy to guess (common words, repeats, sequences or keyboard patterns)';
  return undefined;
}
