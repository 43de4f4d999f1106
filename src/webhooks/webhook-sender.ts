import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIpLiteral, isPublicAddress, parseTargetUrl } from './domain/target-address';

export const SEND_TIMEOUT_MS = 10_000;
/** What is read of a subscriber's answer (then it is dropped): enough to know it ended. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export class TargetRefused extends Error {
  constructor(address: string) {
    super(`the host resolves to ${address}, a loopback or private-network address (WEBHOOK_ALLOW_PRIVATE is off)`);
  }
}

/**
 * DNS resolution that refuses non-public addresses at connection time: a host that resolved to a public
 * address when the subscription was made and to 127.0.0.1 later (DNS rebinding) is refused too.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as unknown as LookupAddress[];
    const refused = list.find((a) => !isPublicAddress(a.address));
    if (refused) return callback(new TargetRefused(refused.address) as NodeJS.ErrnoException, '', 0);
    if (list.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * POSTs `body` to `url` with the given headers and answers how it went; never throws. No redirects are
 * followed (a 3xx is a failure: following one could lead anywhere), and the whole exchange is bounded by
 * SEND_TIMEOUT_MS.
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, allowPrivate: boolean): Promise<SendResult> {
  const started = Date.now();
  const done = (statusCode: number | null, error: string | null): SendResult => ({ statusCode, error, durationMs: Date.now() - started });
  const target = parseTargetUrl(url);
  if (!target.ok) return Promise.resolve(done(null, `the URL ${target.reason}`));
  if (!allowPrivate && isIpLiteral(target.host) && !isPublicAddress(target.host)) {
    return Promise.resolve(done(null, new TargetRefused(target.host).message));
  }
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    timeout: SEND_TIMEOUT_MS,
    ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
  };
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const request = (target.url.protocol === 'https:' ? httpsRequest : httpRequest)(target.url, options, (response) => {
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) response.destroy();
      });
      const status = response.statusCode ?? null;
      const outcome = () => finish(done(status, status !== null && status >= 200 && status < 300 ? null : `the subscriber answered HTTP ${status}`));
      response.on('end', outcome);
      response.on('close', outcome);
      response.on('error', outcome);
    });
    const deadline = setTimeout(() => {
      request.destroy();
      finish(done(null, `no answer within ${SEND_TIMEOUT_MS / 1000} s`));
    }, SEND_TIMEOUT_MS);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${SEND_TIMEOUT_MS / 1000} s`)));
    request.on('error', (error: NodeJS.ErrnoException) => finish(done(null, describe(error))));
    request.end(body);
  });
}

function describe(error: NodeJS.ErrnoException): string {
  if (error instanceof TargetRefused) return error.message;
  const reason = error.code ? `${error.code}: ${error.message}` : error.message;
  return `could not reach the subscriber (${reason})`.slice(0, 500);
}
