import { ClientAuthenticator } from './client-auth';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe(ClientAuthenticator.name, () => {
  const auth = new ClientAuthenticator(new Map([['nginx', 'nginx-secret'], ['envoy', 'envoy:secret']]));

  it('accepts a registered client', () => {
    expect(auth.authenticate(basic('nginx:nginx-secret'))).toBe('nginx');
    expect(auth.authenticate(basic('envoy:envoy:secret'))).toBe('envoy');
    expect(auth.authenticate(`basic ${Buffer.from('nginx:nginx-secret').toString('base64')}`)).toBe('nginx');
  });

  it.each([
    undefined,
    '',
    'Bearer abc',
    'Basic !!!',
    basic('nginx:wrong'),
    basic('nginx:'),
    basic('nobody:nginx-secret'),
    basic(':nginx-secret'),
    basic('nginx'),
  ])('rejects %j', (header) => {
    expect(auth.authenticate(header)).toBeNull();
  });
});

describe(`${ClientAuthenticator.name} (OAuth forms)`, () => {
  const auth = new ClientAuthenticator(new Map([['rs 1', 'p@ss+w:rd%']]));

  it('accepts form-urlencoded Basic credentials (RFC 6749 §2.3.1)', () => {
    const encoded = `${encodeURIComponent('rs 1')}:${encodeURIComponent('p@ss+w:rd%')}`;
    expect(auth.authenticate(basic(encoded))).toBe('rs 1');
    expect(auth.authenticate(basic('rs%201:%zz'))).toBeNull();
  });

  it('accepts client_secret_post and refuses wrong or missing parts', () => {
    expect(auth.authenticatePost('rs 1', 'p@ss+w:rd%')).toBe('rs 1');
    expect(auth.authenticatePost('rs 1', 'nope')).toBeNull();
    expect(auth.authenticatePost(undefined, 'p@ss+w:rd%')).toBeNull();
  });
});
