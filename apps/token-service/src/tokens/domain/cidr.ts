import ipaddr from 'ipaddr.js';
import { TokenError, TokenErrorCodes } from './token.errors';

/**
 * Validates and normalises CIDRs: host bits cleared, a bare address becomes /32 or /128,
 * duplicates removed. `10.0.0.0/33`, `::1/129` and garbage are rejected with the offending entry named.
 */
export function normalizeCidrs(input: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of input) {
    const text = raw.trim();
    const withBits = text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`;
    let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      parsed = ipaddr.parseCIDR(withBits);
    } catch {
      throw new TokenError(TokenErrorCodes.invalidCidr, `allowedCidrs: "${raw.slice(0, 60)}" is not a valid IPv4 or IPv6 CIDR`);
    }
    const [addr, bits] = parsed;
    const network = addr.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(withBits) : ipaddr.IPv6.networkAddressFromCIDR(withBits);
    out.add(`${network.toString()}/${bits}`);
  }
  return [...out];
}
