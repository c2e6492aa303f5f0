import { createHmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Latchkey token format: prefix + 40 base62 characters of randomness (238 bits)
 * + 6 base62 characters of the CRC32 of everything before them, GitHub-style, so a scanner or the
 * validator can reject typos and random strings without any lookup.
 */
export const DEFAULT_TOKEN_PREFIX = 'lk_';
export const RANDOM_LENGTH = 40;
export const CHECKSUM_LENGTH = 6;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIX_PATTERN = /^[a-z][a-z0-9]{0,14}_$/;
// Lookup table: char code -> base62 digit, or -1. Only ASCII is ever valid.
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

export type MalformedReason = 'EMPTY' | 'NOT_A_STRING' | 'WRONG_LENGTH' | 'WRONG_PREFIX' | 'BAD_CHARACTER' | 'BAD_CHECKSUM';
export type ParseResult = { ok: true; token: string } | { ok: false; reason: MalformedReason };

export function assertValidPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(`token prefix "${prefix}" must be 1-15 lowercase letters or digits (starting with a letter) followed by "_"`);
  }
}

/** base62 of a 32-bit checksum, left-padded to 6 characters (62^6 > 2^32). */
export function checksum(body: string): string {
  let n = crc32(body) >>> 0;
  const out = new Array<string>(CHECKSUM_LENGTH);
  for (let i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
    out[i] = ALPHABET[n % 62];
    n = Math.floor(n / 62);
  }
  return out.join('');
}

/**
 * A new token. `randomBytes` is injected so tests are deterministic; production passes crypto.randomBytes.
 * Rejection sampling (bytes < 248 = 4 * 62) keeps every character uniform.
 */
export function generateToken(randomBytes: (size: number) => Buffer, prefix = DEFAULT_TOKEN_PREFIX): string {
  assertValidPrefix(prefix);
  let body = '';
  while (body.length < RANDOM_LENGTH) {
    const bytes = randomBytes(64);
    for (let i = 0; i < bytes.length && body.length < RANDOM_LENGTH; i++) {
      if (bytes[i] < 248) body += ALPHABET[bytes[i] % 62];
    }
  }
  const rest = prefix + body;
  return rest + checksum(rest);
}

/** Format and checksum only: no I/O, no allocation beyond the checksum. */
export function parseToken(input: unknown, prefix = DEFAULT_TOKEN_PREFIX): ParseResult {
  if (typeof input !== 'string') return { ok: false, reason: 'NOT_A_STRING' };
  if (input.length === 0) return { ok: false, reason: 'EMPTY' };
  if (input.length !== prefix.length + RANDOM_LENGTH + CHECKSUM_LENGTH) return { ok: false, reason: 'WRONG_LENGTH' };
  if (!input.startsWith(prefix)) return { ok: false, reason: 'WRONG_PREFIX' };
  for (let i = prefix.length; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c >= 128 || DIGIT[c] < 0) return { ok: false, reason: 'BAD_CHARACTER' };
  }
  const split = input.length - CHECKSUM_LENGTH;
  if (checksum(input.slice(0, split)) !== input.slice(split)) return { ok: false, reason: 'BAD_CHECKSUM' };
  return { ok: true, token: input };
}

/** What is stored and looked up: HMAC-SHA256(pepper, token), hex. */
export function hashToken(pepper: string | Buffer, token: string): string {
  return createHmac('sha256', pepper).update(token).digest('hex');
}

/** Constant-time comparison of two hex digests (or any strings). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab); // same work either way
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** What people see to recognise a token: prefix + "…" + last 4 characters. */
export function tokenHint(token: string, prefix = DEFAULT_TOKEN_PREFIX): string {
  return `${prefix}…${token.slice(-4)}`;
}
