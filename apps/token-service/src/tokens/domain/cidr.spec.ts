import { normalizeCidrs } from './cidr';

describe(normalizeCidrs.name, () => {
  it('normalises IPv4 and IPv6 networks and single addresses', () => {
    expect(normalizeCidrs(['10.1.2.3/8', '2001:db8::1/32', '192.0.2.7', '::1'])).toEqual(['10.0.0.0/8', '2001:db8::/32', '192.0.2.7/32', '::1/128']);
  });
  it('removes duplicates', () => {
    expect(normalizeCidrs(['10.0.0.0/8', '10.9.9.9/8'])).toEqual(['10.0.0.0/8']);
  });
  it.each(['10.0.0.0/33', '::1/129', 'garbage', '300.1.1.1/8', '', '10.0.0.0/-1'])('rejects %p', (bad) => {
    expect(() => normalizeCidrs([bad])).toThrow(/allowedCidrs/);
  });
});
