/** The kinds of change a clinic's live event stream carries (the console refetches what each one touches). */
export const LIVE_EVENT_TYPES = ['appointment', 'status', 'vitals', 'clearance', 'waitlist', 'worklist'] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

/** The PostgreSQL channel the database's triggers notify on (migration LiveEvents). */
export const CLINIC_EVENTS_CHANNEL = 'clinic_events';

/** Ids only, and the kind of change: no name, no appointment type, no note. */
export interface LiveEvent {
  type: LiveEventType;
  locationId: string;
  /** appointmentId, vitalsId, entryId, offerId, itemId, and `change` or `status`: strings the triggers write. */
  data: Record<string, string>;
}

const ALLOWED_FIELDS = new Set(['appointmentId', 'vitalsId', 'entryId', 'offerId', 'itemId', 'change', 'status']);

/**
 * A notification from `clinic_events` as an event, or undefined when it is not one. Only the fields named
 * above pass, so a trigger that one day wrote more could not leak it to a browser.
 */
export function parseLiveEvent(payload: string): LiveEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { type, locationId, ...rest } = parsed as Record<string, unknown>;
  if (!LIVE_EVENT_TYPES.includes(type as LiveEventType) || typeof locationId !== 'string') return undefined;
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(rest)) if (ALLOWED_FIELDS.has(key) && typeof value === 'string') data[key] = value;
  return { type: type as LiveEventType, locationId, data };
}

/** One server-sent event frame (the data is JSON, so it holds no newline). */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment frame: ignored by clients, it keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT = ': heartbeat\n\n';
