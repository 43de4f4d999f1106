import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may be sent. A subscriber URL is http(s) without credentials in it, and (unless private
 * targets are allowed) every address its host resolves to is a public unicast address: not loopback,
 * private, link-local (the cloud metadata service at 169.254.169.254), carrier-grade NAT, unique-local,
 * multicast, reserved, nor an IPv6 form that embeds an IPv4 address (mapped, NAT64, 6to4, Teredo).
 */

export type TargetCheck = { ok: true; url: URL; host: string } | { ok: false; reason: string };

/** The URL's shape: scheme, no user:password@, a host. The host's addresses are checked apart. */
export function parseTargetUrl(raw: string): TargetCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'must be an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'must use http or https' };
  if (url.username || url.password) return { ok: false, reason: 'must not carry a user name or password' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) return { ok: false, reason: 'must name a host' };
  return { ok: true, url, host };
}

/** Whether a literal IPv4 or IPv6 address is one webhooks may reach when private targets are not allowed. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  return parsed.range() === 'unicast';
}

export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host);
}
