import { randomBytes } from 'node:crypto';
import {
  checksum,
  constantTimeEqual,
  DEFAULT_TOKEN_PREFIX,
  generateToken,
  hashToken,
  parseToken,
  tokenHint,
} from './token-format';

describe('token format', () => {
  it('generates lk_ + 40 base62 + 6 checksum characters that parse', () => {
    const token = generateToken(randomBytes);
    expect(token).toMatch(/^lk_[0-9A-Za-z]{46}$/);
    expect(parseToken(token)).toEqual({ ok: true, token });
  });

  it('generates distinct tokens', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateToken(randomBytes)));
    expect(seen.size).toBe(2000);
  });

  it('uses a configurable prefix', () => {
    const token = generateToken(randomBytes, 'acme_');
    expect(token.startsWith('acme_')).toBe(true);
    expect(parseToken(token, 'acme_').ok).toBe(true);
    expect(parseToken(token)).toEqual({ ok: false, reason: 'WRONG_LENGTH' });
  });

  it('rejects invalid prefixes at configuration time', () => {
    expect(() => generateToken(randomBytes, 'LK')).toThrow(/prefix/);
  });

  it.each([
    ['empty', '', 'EMPTY'],
    ['not a string', 42, 'NOT_A_STRING'],
    ['too long', `${generateToken(randomBytes)}x`, 'WRONG_LENGTH'],
    ['too short', 'lk_abc', 'WRONG_LENGTH'],
    ['wrong prefix', `xx_${generateToken(randomBytes).slice(3)}`, 'WRONG_PREFIX'],
  ])('rejects %s', (_name, input, reason) => {
    expect(parseToken(input)).toEqual({ ok: false, reason });
  });

  it('rejects non-ASCII and non-base62 characters', () => {
    const token = generateToken(randomBytes);
    expect(parseToken(`${token.slice(0, 10)}é${token.slice(11)}`)).toEqual({ ok: false, reason: 'BAD_CHARACTER' });
    expect(parseToken(`${token.slice(0, 10)}-${token.slice(11)}`)).toEqual({ ok: false, reason: 'BAD_CHARACTER' });
  });

  it('rejects any single-character change through the checksum', () => {
    const token = generateToken(randomBytes);
    for (let i = DEFAULT_TOKEN_PREFIX.length; i < token.length; i++) {
      const replacement = token[i] === 'a' ? 'b' : 'a';
      const typo = token.slice(0, i) + replacement + token.slice(i + 1);
      expect(parseToken(typo)).toEqual({ ok: false, reason: 'BAD_CHECKSUM' });
    }
  });

  it('computes a 6-character checksum', () => {
    expect(checksum('lk_')).toHaveLength(6);
  });

  it('hashes with HMAC-SHA256 under a pepper', () => {
    const token = generateToken(randomBytes);
    const h = hashToken('pepper', token);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('pepper', token)).toBe(h);
    expect(hashToken('other', token)).not.toBe(h);
  });

  it('compares in constant time and handles different lengths', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });

  it('shows a hint of the last four characters', () => {
    const token = generateToken(randomBytes);
    expect(tokenHint(token)).toBe(`lk_…${token.slice(-4)}`);
  });
});
