// The clinic's live event stream (GET /api/events): server-sent events read with fetch streaming, since
// EventSource cannot send the bearer header and the token never goes in a URL. Each event says what
// changed (ids and kinds only); the hook invalidates the queries that show it, and TanStack Query
// refetches those on screen.

export interface LiveEvent {
  event: string;
  data: Record<string, string>;
}

/** Splits a growing text into complete frames; returns the events and the unfinished rest. */
export function parseFrames(buffer: string): { events: LiveEvent[]; rest: string } {
  const events: LiveEvent[] = [];
  const frames = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = frames.pop() ?? '';
  for (const frame of frames) {
    let event = 'message';
    let data = '';
    for (const line of frame.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (!data) continue; // a comment (heartbeat) or a `retry:` line
    try {
      events.push({ event, data: JSON.parse(data) as Record<string, string> });
    } catch {
      // not ours: ignore
    }
  }
  return { events, rest };
}

/** The query keys (as prefixes) that an event at `locationId` makes stale. */
export function staleKeys(locationId: string, { event, data }: LiveEvent): unknown[][] {
  const board = [
    ['appointments', locationId],
    ['observation', locationId],
    ['worklist', locationId],
  ];
  const appointment = data.appointmentId ? [['session', data.appointmentId]] : [];
  switch (event) {
    case 'appointment':
      return [...board, ...appointment, ['clearances', locationId]];
    case 'status':
      return [...board, ...appointment, ['rems-pending', locationId], ['clearances', locationId]];
    case 'vitals':
      // A high pre-dose reading waits for a provider's clearance: the clearance list follows the readings.
      return [['observation', locationId], ['clearances', locationId], ...appointment, ...(data.appointmentId ? [['vitals', data.appointmentId]] : [])];
    case 'clearance':
      return [...appointment, ['clearances', locationId]];
    case 'worklist':
      return [['worklist', locationId]];
    case 'waitlist':
      return [
        ['waitlist', locationId],
        ['worklist', locationId],
      ];
    default:
      return [];
  }
}

/** Everything a clinic's screens show from the stream: refetched after a gap (a reconnection, a `reset`). */
export function everyKey(locationId: string): unknown[][] {
  return [
    ['appointments', locationId],
    ['observation', locationId],
    ['worklist', locationId],
    ['waitlist', locationId],
    ['rems-pending', locationId],
    ['clearances', locationId],
    ['session'],
    ['vitals'],
  ];
}

/** Reconnection delays: 1 s, 2 s, 4 s … up to 30 s, with jitter so a clinic's consoles do not come back at once. */
export function backoffMs(attempt: number): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}
