import { cidrContains, ParsedCidr, parseCidr, parseIp } from '../../decision/domain';

/**
 * The client IP of a request seen through proxies (LATCHKEY_TRUSTED_PROXIES). Only a trusted peer may name the
 * client: X-Real-IP (nginx), X-Envoy-External-Address (Envoy), else the right-most X-Forwarded-For entry that is not
 * itself a trusted proxy. From any other peer those headers are ignored and the peer address is the client.
 */
export class ClientIpResolver {
  private readonly trusted: ParsedCidr[];

  constructor(trustedProxies: readonly string[]) {
    this.trusted = trustedProxies.map((c) => parseCidr(c)).filter((c): c is ParsedCidr => c !== null);
  }

  isTrusted(address: string): boolean {
    const ip = parseIp(address);
    return ip !== null && this.trusted.some((c) => cidrContains(c, ip));
  }

  resolve(peer: string | undefined, headers: Record<string, string | string[] | undefined>): string {
    const peerIp = normalise(peer ?? '');
    if (!peerIp || !this.isTrusted(peerIp)) return peerIp ?? '';
    const real = normalise(single(headers['x-real-ip']));
    if (real) return real;
    const envoy = normalise(single(headers['x-envoy-external-address']));
    if (envoy) return envoy;
    const xff = headers['x-forwarded-for'];
    const chain = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
    for (let i = chain.length - 1; i >= 0; i--) {
      const hop = normalise(chain[i]);
      if (!hop) break; // a garbage hop: do not trust anything left of it
      if (!this.isTrusted(hop) || i === 0) return hop;
    }
    return peerIp;
  }
}

function single(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
}

/** an address as the decision expects it (IPv4-mapped IPv6 as IPv4), or null when it is not one */
function normalise(address: string): string | null {
  if (!address || address.length > 64) return null;
  const ip = parseIp(address);
  if (!ip) return null;
  if (ip.version === 4 && address.includes(':')) return Array.from(ip.bytes).join('.');
  return address;
}
