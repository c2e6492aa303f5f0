import { ClientIpResolver } from './client-ip';

describe(ClientIpResolver.name, () => {
  const r = new ClientIpResolver(['127.0.0.1/32', '10.0.0.0/8', '::1/128']);

  it('uses the peer address when the peer is not a trusted proxy (spoofed headers ignored)', () => {
    expect(r.resolve('203.0.113.9', { 'x-forwarded-for': '1.1.1.1', 'x-real-ip': '2.2.2.2' })).toBe('203.0.113.9');
    expect(r.resolve('::ffff:203.0.113.9', {})).toBe('203.0.113.9');
  });

  it('takes X-Real-IP, then X-Envoy-External-Address, from a trusted proxy', () => {
    expect(r.resolve('127.0.0.1', { 'x-real-ip': '198.51.100.7', 'x-forwarded-for': '1.1.1.1' })).toBe('198.51.100.7');
    expect(r.resolve('::1', { 'x-envoy-external-address': '2001:db8::7' })).toBe('2001:db8::7');
  });

  it('walks X-Forwarded-For from the right, skipping trusted hops', () => {
    expect(r.resolve('127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.1.1.1' })).toBe('198.51.100.7');
    expect(r.resolve('127.0.0.1', { 'x-forwarded-for': '10.2.2.2, 10.1.1.1' })).toBe('10.2.2.2');
    expect(r.resolve('127.0.0.1', { 'x-forwarded-for': 'garbage, 10.1.1.1' })).toBe('127.0.0.1');
  });

  it('ignores unparseable header values', () => {
    expect(r.resolve('127.0.0.1', { 'x-real-ip': 'not-an-ip' })).toBe('127.0.0.1');
    expect(new ClientIpResolver([]).resolve('127.0.0.1', { 'x-real-ip': '1.2.3.4' })).toBe('127.0.0.1');
  });
});
