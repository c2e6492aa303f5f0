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
    if (SECRET_KEYS.test(key) || HEX_DIGEST.test(value)) return REDACTED;
    return value.replace(TOKEN_LIKE, REDACTED);
  }
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, k)]));
  }
  return value;
}
