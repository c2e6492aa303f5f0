import fc from 'fast-check';
import { checkCidrList, cidrContains, cidrsOverlap, parseCidr, parseIp } from './cidr';

const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const v4Cidr = fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, b]) => `${a}/${b}`);
const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((n) => n.toString(16)).join(':'));
const v6Cidr = fc.tuple(v6, fc.integer({ min: 0, max: 128 })).map(([a, b]) => `${a}/${b}`);
const anyCidr = fc.oneof(v4Cidr, v6Cidr);

const cidr = (s: string) => {
  const r = parseCidr(s);
  if (!r.ok) throw new Error(r.error);
  return r.cidr;
};

describe('CIDR', () => {
  it.each([
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['192.168.1.7', '192.168.1.7/32'],
    ['2001:DB8::1/32', '2001:db8::/32'],
    ['::1', '::1/128'],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
    [' 0.0.0.0/0 ', '0.0.0.0/0'],
  ])('normalises %s to %s', (input, text) => {
    expect(cidr(input).text).toBe(text);
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0/8', '127.1', '0x7f.0.0.1', 'fe80::1%eth0/64', '10.0.0.0/-1', '10.0.0.0/08', '', 'x'.repeat(200), 'garbage'])(
    'rejects %j',
    (input) => {
      expect(parseCidr(input).ok).toBe(false);
    },
  );

  it('detects overlaps and duplicates in a list, naming the entries', () => {
    const r = checkCidrList(['10.0.0.0/8', '10.1.0.0/16', '2001:db8::/32', '2001:db8::/32', '192.0.2.0/24', 'bad']);
    expect(r.errors).toEqual([
      'ipAllowlist[5]: "bad" is not a valid IPv4 or IPv6 CIDR',
      'ipAllowlist[0] 10.0.0.0/8 overlaps ipAllowlist[1] 10.1.0.0/16',
      'ipAllowlist[2] 2001:db8::/32 overlaps ipAllowlist[3] 2001:db8::/32',
    ]);
  });

  it('accepts adjacent ranges and ranges of different families', () => {
    expect(checkCidrList(['10.0.0.0/9', '10.128.0.0/9', '::/0', '192.0.2.0/24']).errors).toEqual([]);
  });

  describe('properties', () => {
    it('normalising is idempotent', () => {
      fc.assert(fc.property(anyCidr, (c) => expect(cidr(cidr(c).text).text).toBe(cidr(c).text)));
    });

    it('a range contains the address it was written with', () => {
      fc.assert(fc.property(fc.oneof(v4Cidr, v6Cidr), (c) => expect(cidrContains(cidr(c), parseIp(c.split('/')[0])!)).toBe(true)));
    });

    it('overlap is symmetric, reflexive, and implied by containment of the network', () => {
      fc.assert(
        fc.property(anyCidr, anyCidr, (a, b) => {
          const [x, y] = [cidr(a), cidr(b)];
          expect(cidrsOverlap(x, y)).toBe(cidrsOverlap(y, x));
          expect(cidrsOverlap(x, x)).toBe(true);
          if (cidrContains(x, y.network)) expect(cidrsOverlap(x, y)).toBe(true);
        }),
      );
    });

    it('an IPv4 address matches a range iff its first `bits` bits equal the network’s', () => {
      const toInt = (s: string) => s.split('.').reduce((n, p) => n * 256 + Number(p), 0);
      fc.assert(
        fc.property(v4, v4Cidr, (ip, c) => {
          const range = cidr(c);
          const shift = 32 - range.bits;
          const same = range.bits === 0 || Math.floor(toInt(ip) / 2 ** shift) === Math.floor(toInt(range.network.toString()) / 2 ** shift);
          expect(cidrContains(range, parseIp(ip)!)).toBe(same);
        }),
      );
    });
  });
});
