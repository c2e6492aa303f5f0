import type { ValidateRequest } from '@latchkey/contracts';
import { parseIp } from '../../decision/domain';

export type ParsedValidateRequest = { ok: true; value: ValidateRequest } | { ok: false; errors: string[] };

// RFC 9110 token characters
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;
const UPPER = /[a-z]/;

function isKnown(key: string): boolean {
  return key === 'token' || key === 'authorization' || key === 'method' || key === 'path' || key === 'ip' || key === 'userAgent';
}

/** A string field: the value, or undefined (absent, or wrong and an error added). `required` also refuses ''. */
function field(b: Record<string, unknown>, name: string, max: number, required: boolean, errors: string[]): string | undefined {
  const v = b[name];
  if (v === undefined || v === null || (required && v === '')) {
    if (required) errors.push(`${name} is required`);
  } else if (typeof v !== 'string') errors.push(`${name} must be a string`);
  else if (v.length > max) errors.push(`${name} must be at most ${max} characters`);
  else return v;
  return undefined;
}

/**
 * Checks the body of POST /v1/validate by hand (the hot path runs no class-validator); no closure or spread per
 * call, the error list is only looked at when something was wrong.
 */
export function parseValidateRequest(body: unknown): ParsedValidateRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: ['the body must be a JSON object'] };
  }
  const b = body as Record<string, unknown>;
  const errors: string[] = [];
  for (const key in b) if (!isKnown(key)) errors.push(`property ${key} should not exist`);

  const token = field(b, 'token', 1024, false, errors);
  const authorization = field(b, 'authorization', 4096, false, errors);
  const method = field(b, 'method', 32, true, errors) ?? '';
  const path = field(b, 'path', 8192, true, errors) ?? '';
  const ip = field(b, 'ip', 64, true, errors) ?? '';
  const userAgent = field(b, 'userAgent', 1024, false, errors);
  if (token !== undefined && authorization !== undefined) errors.push('send either token or authorization, not both');
  if (method && !METHOD.test(method)) errors.push('method must be an HTTP method name');
  if (ip && !parseIp(ip)) errors.push('ip must be an IPv4 or IPv6 address');
  if (errors.length > 0) return { ok: false, errors };
  const value: ValidateRequest = { method: UPPER.test(method) ? method.toUpperCase() : method, path, ip };
  if (token !== undefined) value.token = token;
  if (authorization !== undefined) value.authorization = authorization;
  if (userAgent !== undefined) value.userAgent = userAgent;
  return { ok: true, value };
}
