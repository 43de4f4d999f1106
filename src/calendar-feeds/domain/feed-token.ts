import { createHash, randomBytes } from 'node:crypto';

/**
 * A feed's token is its only credential (calendar apps cannot send headers): 256 random bits in the URL.
 * Only its SHA-256 is stored, so a copy of the database does not open anyone's feed.
 */
export function newFeedToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The token in `/ical/<token>.ics`, or undefined when the name is not of that shape. */
export function tokenOfFileName(file: string): string | undefined {
  return /^([A-Za-z0-9_-]{43})\.ics$/.exec(file)?.[1];
}
