/** Keys whose values are never kept, whatever they hold. */
const SECRET_KEYS = /^(secret|secrethash|tokenhash|hmac|password|authorization|pepper|token)$/i;
/** A Latchkey token (any prefix: prefix_ + 46 base62) or a bare 64-hex digest (an HMAC) inside any string. */
const TOKEN_LIKE = /\b[A-Za-z][A-Za-z0-9]{0,15}_[0-9A-Za-z]{46}\b/g;
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;
export const REDACTED = '[REDACTED]';

/**
 * Defence in depth: events should carry no secret, but if one does it must not reach the audit trail or the SIEM.
 * Strings under secret-looking keys, token-shaped substrings and bare 64-hex digests are replaced. Pure.
 */
export function redactSecrets(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEYS.test(key) || (value.length === 64 && HEX_DIGEST.test(value))) return REDACTED;
    // a token has an underscore and at least 48 characters; most strings cannot hold one
    return value.length >= 48 && value.includes('_') ? value.replace(TOKEN_LIKE, REDACTED) : value;
  }
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, key));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      const v = redactSecrets((value as Record<string, unknown>)[k], k);
      // a "__proto__" member of parsed JSON stays a plain member, never the prototype
      if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else out[k] = v;
    }
    return out;
  }
  return value;
}
