import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as signed. */
  body: string;
  /** What the receiver answered. */
  status: number;
}

/**
 * A webhook subscriber on 127.0.0.1 for a test: records every request and answers 204, or the statuses
 * queued for a path with `failNext` (then 204 again), or always `status` for a path set with `answer`.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly queued = new Map<string, number[]>();
  private readonly fixed = new Map<string, number>();
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const status = this.queued.get(path)?.shift() ?? this.fixed.get(path) ?? 204;
        this.received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        response.statusCode = status;
        response.end(status >= 400 ? 'not now' : undefined);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${path}`;
  }

  /** The next requests to `path` are answered with these statuses, in order. */
  failNext(path: string, ...statuses: number[]): void {
    this.queued.set(path, [...(this.queued.get(path) ?? []), ...statuses]);
  }

  /** Every request to `path` is answered with `status` from now on. */
  answer(path: string, status: number): void {
    this.fixed.set(path, status);
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  /** The parsed bodies of what reached `path`. */
  payloads(path: string): Array<{ type: string; timestamp: string; data: Record<string, any> }> {
    return this.at(path).map((r) => JSON.parse(r.body));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
