import { parseToken } from '@latchkey/token-format';

/** What a request presented, read without any I/O. */
export type PresentedCredentials =
  | { kind: 'none' }
  | { kind: 'malformed' }
  /** HTTP Basic whose password is not a Latchkey token: a plain password (policy decides; disabled for now) */
  | { kind: 'password'; user: string }
  | { kind: 'token'; token: string; via: 'bearer' | 'basic' | 'body'; basicUser?: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads the credentials from either a bare token or a whole Authorization header (Bearer, or Basic with the
 * token as the password). Format and checksum are checked here, so a malformed token never reaches a cache.
 */
export function readCredentials(input: { token?: string; authorization?: string }, prefix: string): PresentedCredentials {
  if (input.token !== undefined) {
    // a token field that is present but empty is a malformed token, not an absent one
    const parsed = parseToken(input.token.trim(), prefix);
    return parsed.ok ? { kind: 'token', token: parsed.token, via: 'body' } : { kind: 'malformed' };
  }
  return parseAuthorization(input.authorization, prefix);
}

export function parseAuthorization(header: string | undefined, prefix: string): PresentedCredentials {
  const value = header?.trim() ?? '';
  if (value === '') return { kind: 'none' };
  const space = value.search(/\s/);
  const scheme = (space < 0 ? value : value.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : value.slice(space + 1).trim();
  if (scheme === 'bearer') {
    // "Bearer" with nothing after it is a broken credential, not a missing one
    const parsed = parseToken(rest, prefix);
    return parsed.ok ? { kind: 'token', token: parsed.token, via: 'bearer' } : { kind: 'malformed' };
  }
  if (scheme === 'basic') {
    if (rest === '') return { kind: 'none' };
    if (!BASE64.test(rest)) return { kind: 'malformed' };
    const decoded = Buffer.from(rest, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { kind: 'malformed' };
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    if (password === '') return { kind: 'none' };
    const parsed = parseToken(password, prefix);
    return parsed.ok ? { kind: 'token', token: parsed.token, via: 'basic', basicUser: user } : { kind: 'password', user };
  }
  // another scheme (Digest, Negotiate...): no Latchkey credentials were presented
  return { kind: 'none' };
}
