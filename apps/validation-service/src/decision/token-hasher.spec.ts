import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { generateToken, hashToken } from '@latchkey/token-format';
import { createTokenHasher } from './token-hasher';

describe('createTokenHasher (HMAC-SHA256 with precomputed pads)', () => {
  it('equals hashToken for generated tokens, with short, 64-byte, long and non-ASCII peppers', () => {
    for (const pepper of ['p', 'x'.repeat(32), 'y'.repeat(64), 'z'.repeat(65), 'é pepper ✓'.repeat(9), '']) {
      const hash = createTokenHasher(pepper);
      for (let i = 0; i < 50; i++) {
        const token = generateToken(randomBytes, i % 2 ? 'lk_' : 'acmecorp12345x_');
        expect(hash(token)).toBe(hashToken(pepper, token));
      }
    }
  });

  it('equals hashToken for every length around the block boundaries', () => {
    const hash = createTokenHasher('pepper');
    for (let n = 0; n <= 200; n++) {
      const s = 'a1Z_'.repeat(60).slice(0, n);
      expect(hash(s)).toBe(hashToken('pepper', s));
    }
  });

  it('equals hashToken for any string (non-ASCII falls back) and any pepper', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (pepper, input) => {
        const hash = createTokenHasher(pepper);
        expect(hash(input)).toBe(hashToken(pepper, input));
        expect(hash(input)).toBe(hashToken(pepper, input));
      }),
      { numRuns: 500 },
    );
  });
});
