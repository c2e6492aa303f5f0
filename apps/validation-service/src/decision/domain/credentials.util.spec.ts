import { randomBytes } from 'node:crypto';
import { generateToken } from '@latchkey/token-format';
import { parseAuthorization, readCredentials } from './credentials.util';

const token = generateToken(randomBytes, 'lk_');
const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('readCredentials', () => {
  it('reads a bearer token', () => {
    expect(parseAuthorization(`Bearer ${token}`, 'lk_')).toEqual({ kind: 'token', token, via: 'bearer' });
    expect(parseAuthorization(`bearer   ${token} `, 'lk_')).toEqual({ kind: 'token', token, via: 'bearer' });
  });

  it('reads a token sent as the Basic password, with the user', () => {
    expect(parseAuthorization(basic(`alice:${token}`), 'lk_')).toEqual({ kind: 'token', token, via: 'basic', basicUser: 'alice' });
  });

  it('treats a Basic password that is not a token as a password', () => {
    expect(parseAuthorization(basic('alice:hunter2'), 'lk_')).toEqual({ kind: 'password', user: 'alice' });
  });

  it.each([undefined, '', '   ', 'Digest abc', 'Basic'])('finds no credentials in %j', (header) => {
    expect(parseAuthorization(header, 'lk_')).toEqual({ kind: 'none' });
  });

  it.each([
    'Bearer',
    'Bearer  ',
    'Bearer nope',
    `Bearer ${token.slice(0, -1)}x`,
    `Bearer ${token.replace('lk_', 'xx_')}`,
    'Basic !!!not-base64',
    `Basic ${Buffer.from('no-colon').toString('base64')}`,
  ])('marks %j as malformed', (header) => {
    expect(parseAuthorization(header, 'lk_')).toEqual({ kind: 'malformed' });
  });

  it('prefers the bare token field and checks its format', () => {
    expect(readCredentials({ token }, 'lk_')).toEqual({ kind: 'token', token, via: 'body' });
    expect(readCredentials({ token: 'lk_short' }, 'lk_')).toEqual({ kind: 'malformed' });
    expect(readCredentials({ token: '' }, 'lk_')).toEqual({ kind: 'malformed' });
    expect(readCredentials({ authorization: `Bearer ${token}` }, 'lk_')).toMatchObject({ kind: 'token' });
    expect(readCredentials({}, 'lk_')).toEqual({ kind: 'none' });
  });

  it('honours a configured prefix', () => {
    const custom = generateToken(randomBytes, 'acme_');
    expect(readCredentials({ token: custom }, 'acme_')).toMatchObject({ kind: 'token' });
    expect(readCredentials({ token: custom }, 'lk_')).toEqual({ kind: 'malformed' });
  });
});
