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
