import ipaddr from 'ipaddr.js';

/** A parsed, normalised CIDR: host bits cleared; IPv4-mapped IPv6 ranges (::ffff:a.b.c.d/≥96) count as IPv4. */
export interface Cidr {
  kind: 'ipv4' | 'ipv6';
  network: ipaddr.IPv4 | ipaddr.IPv6;
  bits: number;
  /** canonical text, e.g. `10.0.0.0/8`, `2001:db8::/32` */
  text: string;
}

export type CidrParseResult = { ok: true; cidr: Cidr } | { ok: false; error: string };

const MAX_INPUT = 100;

function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (text.includes(':')) {
    if (!ipaddr.IPv6.isValid(text) || text.includes('%')) return null;
    return ipaddr.IPv6.parse(text);
  }
  // only dotted-quad decimal: "127.1" or "0x7f.0.0.1" mean different things to different parsers
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return null;
  return ipaddr.IPv4.parse(text);
}

/** `a.b.c.d/n`, `x::y/n`, or a bare address (one host). */
export function parseCidr(input: string): CidrParseResult {
  if (typeof input !== 'string' || input.trim() === '' || input.length > MAX_INPUT) {
    return { ok: false, error: `"${String(input).slice(0, 60)}" is not a valid IPv4 or IPv6 CIDR` };
  }
  const text = input.trim();
  const slash = text.indexOf('/');
  const addrText = slash >= 0 ? text.slice(0, slash) : text;
  const addr = parseAddress(addrText);
  if (!addr) return { ok: false, error: `"${text.slice(0, 60)}" is not a valid IPv4 or IPv6 CIDR` };
  const max = addr.kind() === 'ipv4' ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const bitsText = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(bitsText) || Number(bitsText) > max) {
      return { ok: false, error: `"${text.slice(0, 60)}": the prefix length must be 0..${max}` };
    }
    bits = Number(bitsText);
  }
  let network: ipaddr.IPv4 | ipaddr.IPv6 = addr;
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    network = (addr as ipaddr.IPv6).toIPv4Address();
    bits -= 96;
  }
  const cidrText = `${network.toString()}/${bits}`;
  network = network.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidrText) : ipaddr.IPv6.networkAddressFromCIDR(cidrText);
  return { ok: true, cidr: { kind: network.kind(), network, bits, text: `${network.toString()}/${bits}` } };
}

/** A client address (IPv4 dotted quad or IPv6); IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes IPv4. */
export function parseIp(input: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 64) return null;
  let text = input.trim();
  // "[::1]" as some proxies write it
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const addr = parseAddress(text);
  if (!addr) return null;
  return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
}

export function cidrContains(cidr: Cidr, ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (cidr.kind !== ip.kind()) return false;
  return ip.kind() === 'ipv4'
    ? (ip as ipaddr.IPv4).match(cidr.network as ipaddr.IPv4, cidr.bits)
    : (ip as ipaddr.IPv6).match(cidr.network as ipaddr.IPv6, cidr.bits);
}

/** true when two ranges share at least one address (same family, and the wider contains the other's network). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.kind !== b.kind) return false;
  const [wide, narrow] = a.bits <= b.bits ? [a, b] : [b, a];
  return cidrContains(wide, narrow.network);
}

export interface CidrListCheck {
  /** canonical texts, in input order */
  normalized: string[];
  errors: string[];
}

/** Validates a CIDR list: each must parse, and no two may overlap (duplicates included); errors name the entries. */
export function checkCidrList(input: readonly string[], label = 'ipAllowlist'): CidrListCheck {
  const errors: string[] = [];
  const parsed: Array<{ index: number; cidr: Cidr }> = [];
  input.forEach((raw, index) => {
    const r = parseCidr(raw);
    if (r.ok) parsed.push({ index, cidr: r.cidr });
    else errors.push(`${label}[${index}]: ${r.error}`);
  });
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      if (cidrsOverlap(parsed[i].cidr, parsed[j].cidr)) {
        errors.push(`${label}[${parsed[i].index}] ${parsed[i].cidr.text} overlaps ${label}[${parsed[j].index}] ${parsed[j].cidr.text}`);
      }
    }
  }
  return { normalized: parsed.map((p) => p.cidr.text), errors };
}

/** Parses a list known to be valid (e.g. from a stored document); entries that do not parse are dropped. */
export function compileCidrs(list: readonly string[]): Cidr[] {
  return list.flatMap((c) => {
    const r = parseCidr(c);
    return r.ok ? [r.cidr] : [];
  });
}

/** true when `ip` is inside any of the ranges; an unparseable ip is inside none. */
export function ipInCidrs(ip: string, cidrs: readonly Cidr[]): boolean {
  const addr = parseIp(ip);
  return addr !== null && cidrs.some((c) => cidrContains(c, addr));
}
