import fc from 'fast-check';
import { ipInAnyCidr, parseCidr, parseIp } from './cidr.util';

describe('cidr.util', () => {
  it.each([
    ['10.1.2.3', ['10.0.0.0/8'], true],
    ['11.1.2.3', ['10.0.0.0/8'], false],
    ['192.168.1.77', ['192.168.1.64/26'], true],
    ['192.168.1.128', ['192.168.1.64/26'], false],
    ['203.0.113.7', ['203.0.113.7'], true],
    ['203.0.113.8', ['203.0.113.7/32'], false],
    ['1.2.3.4', ['0.0.0.0/0'], true],
    ['2001:db8::1', ['2001:db8::/32'], true],
    ['2001:db9::1', ['2001:db8::/32'], false],
    ['fe80::1%eth0', ['fe80::/10'], true],
    ['::ffff:10.0.0.5', ['10.0.0.0/24'], true],
    ['10.0.0.5', ['::ffff:10.0.0.0/120'], true],
    ['10.0.0.5', ['::ffff:0:0/96'], true],
    ['10.0.0.5', ['2001:db8::/32'], false],
    ['2001:db8::1', ['0.0.0.0/0'], false],
    ['::1', ['::1/128'], true],
    ['1.2.3.4', ['not-a-cidr', '1.2.3.0/24'], true],
  ])('%s in %j is %s', (ip, cidrs, expected) => {
    expect(ipInAnyCidr(ip, cidrs)).toBe(expected);
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', 'abc'])(
    'rejects the address %j',
    (ip) => {
      expect(parseIp(ip)).toBeNull();
      expect(ipInAnyCidr(ip, ['0.0.0.0/0', '::/0'])).toBe(false);
    },
  );

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/08', 'x/8'])('rejects the range %j', (cidr) => {
    expect(parseCidr(cidr)).toBeNull();
  });

  it('parses full and embedded-IPv4 IPv6 forms', () => {
    expect(parseIp('2001:0db8:0000:0000:0000:0000:0000:0001')?.bytes).toEqual(parseIp('2001:db8::1')?.bytes);
    expect(parseIp('64:ff9b::192.0.2.33')?.version).toBe(6);
  });
});

describe('parseIp (IPv4) against the reference grammar', () => {
  // the former regex parser: four parts of /^(0|[1-9][0-9]{0,2})$/, each at most 255
  const reference = (s: string): number[] | null => {
    const parts = s.split('.');
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) return null;
    return parts.map(Number);
  };
  it('accepts and rejects exactly what the grammar does', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.'.split(''), '1', '2', '5', '.', 'a', ' '), maxLength: 20 }), (s) => {
        const ip = s.includes(':') ? null : parseIp(s);
        const expected = reference(s);
        expect(ip ? Array.from(ip.bytes) : null).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
    for (const s of ['0.0.0.0', '255.255.255.255', '256.1.1.1', '01.1.1.1', '1.1.1', '1.1.1.1.', '.1.1.1', '1..1.1', '1.1.1.1000']) {
      expect(parseIp(s) ? Array.from(parseIp(s)!.bytes) : null).toEqual(reference(s));
    }
  });
});
