import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { InvalidInput } from '../common/problems';
import { AppConfig } from '../config/app-config';
import { isIpLiteral, isPublicAddress, parseTargetUrl } from './domain/target-address';

const RESOLVE_TIMEOUT_MS = 3_000;

/**
 * Whether a subscriber URL may be used: http(s), and, unless WEBHOOK_ALLOW_PRIVATE is on, a host whose
 * every address is public (checked again at every delivery, at connection time).
 */
@Injectable()
export class WebhookTargetPolicy {
  constructor(private readonly config: AppConfig) {}

  async check(raw: string): Promise<string> {
    const target = parseTargetUrl(raw);
    if (!target.ok) throw InvalidInput.field('url', `url ${target.reason}`);
    if (this.config.webhookAllowPrivate) return target.url.toString();
    const addresses = isIpLiteral(target.host) ? [target.host] : await this.resolve(target.host);
    const refused = addresses.find((address) => !isPublicAddress(address));
    if (refused) {
      throw InvalidInput.field(
        'url',
        `url resolves to ${refused}, a loopback or private-network address; such targets are refused (WEBHOOK_ALLOW_PRIVATE is off)`,
      );
    }
    return target.url.toString();
  }

  private async resolve(host: string): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        lookup(host, { all: true, verbatim: true }),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), RESOLVE_TIMEOUT_MS))),
      ]);
      if (answer.length === 0) throw new Error('no address');
      return answer.map((a) => a.address);
    } catch {
      throw InvalidInput.field('url', `url names the host ${host}, which does not resolve`);
    } finally {
      clearTimeout(timer);
    }
  }
}
