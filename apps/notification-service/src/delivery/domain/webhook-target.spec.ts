import { isAllowedTarget } from './webhook-target';

describe(isAllowedTarget.name, () => {
  it('lets public addresses through when private targets are denied', () => {
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']) expect(isAllowedTarget(a, false)).toBe(true);
  });

  it('refuses loopback, private, link-local (metadata), unique-local and mapped private addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '172.16.5.4', '169.254.169.254', '::1', 'fc00::1', 'fe80::1', '::ffff:10.0.0.1', '0.0.0.0', 'nonsense']) {
      expect(isAllowedTarget(a, false)).toBe(false);
    }
  });

  it('allows anything when private targets are allowed (development, tests)', () => {
    expect(isAllowedTarget('127.0.0.1', true)).toBe(true);
  });
});
