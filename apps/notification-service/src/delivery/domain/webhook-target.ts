import ipaddr from 'ipaddr.js';

/**
 * Whether a webhook may be sent to this address (pure). With private targets denied (the production default), only
 * public unicast addresses pass: no loopback, private, link-local (cloud metadata), unique-local or reserved
 * ranges, so a registered URL cannot make the service call into its own network.
 */
export function isAllowedTarget(address: string, allowPrivate: boolean): boolean {
  if (allowPrivate) return true;
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}
