/**
 * A tiny IPv4/IPv6 CIDR matcher (pure). IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) count as IPv4, so a v4 range
 * matches a client seen through a dual-stack socket.
 */
export interface ParsedIp {
  version: 4 | 6;
  bytes: Uint8Array;
}

export interface ParsedCidr extends ParsedIp {
  prefix: number;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * Four dot-separated decimal parts of 1-3 digits, each at most 255. Leading zeros are rejected: "010" means octal
 * to some parsers and decimal to others. One pass over the characters (the hot path checks every request's ip).
 */
function parseV4(input: string): Uint8Array | null {
  const out = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= input.length; i++) {
    const c = i < input.length ? input.charCodeAt(i) : DOT;
    if (c === DOT) {
      if (digits === 0 || part > 3 || value > 255) return null;
      out[part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= ZERO && c <= NINE) {
      if (digits === 1 && value === 0) return null;
      if (++digits > 3) return null;
      value = value * 10 + (c - ZERO);
    } else return null;
  }
  return part === 4 ? out : null;
}

function parseGroups(part: string): number[] | null {
  if (part === '') return [];
  const groups: number[] = [];
  const items = part.split(':');
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (i === items.length - 1 && item.includes('.')) {
      const v4 = parseV4(item);
      if (!v4) return null;
      groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else {
      if (!HEX_GROUP.test(item)) return null;
      groups.push(parseInt(item, 16));
    }
  }
  return groups;
}

function parseV6(input: string): Uint8Array | null {
  const zone = input.indexOf('%');
  const text = zone >= 0 ? input.slice(0, zone) : input;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0]);
    const tail = parseGroups(halves[1]);
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(text);
    if (!all || all.length !== 8) return null;
    groups = all;
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** An IPv4 or IPv6 address, or null. IPv4-mapped IPv6 comes back as IPv4. */
export function parseIp(input: string): ParsedIp | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 64) return null;
  if (!input.includes(':')) {
    const v4 = parseV4(input);
    return v4 ? { version: 4, bytes: v4 } : null;
  }
  const v6 = parseV6(input);
  if (!v6) return null;
  return isV4Mapped(v6) ? { version: 4, bytes: v6.slice(12) } : { version: 6, bytes: v6 };
}

/** "a.b.c.d/n", "x::y/n", or a bare address (a single host). Host bits may be set; they are ignored. */
export function parseCidr(input: string): ParsedCidr | null {
  if (typeof input !== 'string') return null;
  const slash = input.indexOf('/');
  const address = slash >= 0 ? input.slice(0, slash) : input;
  const ip = parseIp(address);
  if (!ip) return null;
  const rawV6 = address.includes(':');
  const fullBits = rawV6 ? 128 : 32;
  let prefix = fullBits;
  if (slash >= 0) {
    const text = input.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(text)) return null;
    prefix = Number(text);
    if (prefix > fullBits) return null;
  }
  if (rawV6 && ip.version === 4) {
    // ::ffff:a.b.c.d/n with n >= 96 is an IPv4 range; a shorter prefix would span non-mapped space
    if (prefix < 96) return { version: 6, bytes: mapToV6(ip.bytes), prefix };
    prefix -= 96;
  }
  return { ...ip, prefix };
}

function mapToV6(v4: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

export function cidrContains(cidr: ParsedCidr, ip: ParsedIp): boolean {
  let addr = ip.bytes;
  if (cidr.version !== ip.version) {
    if (cidr.version === 6 && ip.version === 4) addr = mapToV6(ip.bytes);
    else return false;
  }
  const whole = cidr.prefix >> 3;
  for (let i = 0; i < whole; i++) if (addr[i] !== cidr.bytes[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (addr[whole] & mask) === (cidr.bytes[whole] & mask);
}

/** true when ip is inside at least one of the ranges; unparseable ranges match nothing. */
export function ipInAnyCidr(ip: string, cidrs: readonly string[]): boolean {
  const parsed = parseIp(ip);
  if (!parsed) return false;
  return cidrs.some((c) => {
    const range = parseCidr(c);
    return range !== null && cidrContains(range, parsed);
  });
}
