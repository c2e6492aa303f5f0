import type { ValidateRequest } from '@latchkey/contracts';
import { parseIp } from '../../decision/domain';

export type ParsedValidateRequest = { ok: true; value: ValidateRequest } | { ok: false; errors: string[] };

const KNOWN = new Set(['token', 'authorization', 'method', 'path', 'ip', 'userAgent']);
// RFC 9110 token characters
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;

/** Checks the body of POST /v1/validate by hand (the hot path runs no class-validator). */
export function parseValidateRequest(body: unknown): ParsedValidateRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: ['the body must be a JSON object'] };
  }
  const b = body as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(b)) if (!KNOWN.has(key)) errors.push(`property ${key} should not exist`);

  const optional = (name: string, max: number): string | undefined => {
    const v = b[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') errors.push(`${name} must be a string`);
    else if (v.length > max) errors.push(`${name} must be at most ${max} characters`);
    else return v;
    return undefined;
  };
  const required = (name: string, max: number): string => {
    const v = b[name];
    if (v === undefined || v === null || v === '') errors.push(`${name} is required`);
    else if (typeof v !== 'string') errors.push(`${name} must be a string`);
    else if (v.length > max) errors.push(`${name} must be at most ${max} characters`);
    else return v;
    return '';
  };

  const token = optional('token', 1024);
  const authorization = optional('authorization', 4096);
  const method = required('method', 32);
  const path = required('path', 8192);
  const ip = required('ip', 64);
  const userAgent = optional('userAgent', 1024);
  if (token !== undefined && authorization !== undefined) errors.push('send either token or authorization, not both');
  if (method && !METHOD.test(method)) errors.push('method must be an HTTP method name');
  if (ip && !parseIp(ip)) errors.push('ip must be an IPv4 or IPv6 address');
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...(token !== undefined ? { token } : {}),
      ...(authorization !== undefined ? { authorization } : {}),
      method: method.toUpperCase(),
      path,
      ip,
      ...(userAgent !== undefined ? { userAgent } : {}),
    },
  };
}
