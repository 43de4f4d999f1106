import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';

/** One server-sent event as a client parses it (`comment` for a `:` line such as a heartbeat). */
export interface ReceivedEvent {
  event: string;
  data: any;
}

export interface EventStream {
  status: number;
  headers: Headers;
  /** A refusal's problem+json (status not 200). */
  problem?: any;
  /** Every event so far, in order. */
  events: ReceivedEvent[];
  /** The text of the whole stream so far. */
  text: () => string;
  /** Resolves with the first event that matches (already received or yet to come); fails after a few seconds. */
  next(matches: (event: ReceivedEvent) => boolean, what: string): Promise<ReceivedEvent>;
  /** Resolves when the server has ended the stream. */
  ended: Promise<void>;
  close(): void;
}

/** The base URL of the app, listening on a free loopback port (supertest's own listening does not stream). */
export async function listeningUrl(app: NestFastifyApplication): Promise<string> {
  const server = app.getHttpServer();
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Opens `path` with fetch streaming, as the console does, and parses the frames as they arrive. */
export async function openEventStream(app: NestFastifyApplication, path: string, headers: Record<string, string>): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(`${await listeningUrl(app)}${path}`, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const problem = response.ok ? undefined : await response.json();
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let all = '';
  const parse = (frame: string) => {
    const lines = frame.split('\n');
    if (lines.every((line) => line.startsWith(':'))) return events.push({ event: 'comment', data: lines.join('\n') });
    const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message';
    const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
    if (data !== undefined) events.push({ event, data: JSON.parse(data) });
  };
  const ended = (async () => {
    if (!response.ok || !response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        all += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    problem,
    events,
    text: () => all,
    ended,
    close: () => abort.abort(),
    next(matches, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(matches);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${what} on the stream; got ${JSON.stringify(events)}`));
        }, 5000);
        if (!check()) waiters.add(check);
      });
    },
  };
}
