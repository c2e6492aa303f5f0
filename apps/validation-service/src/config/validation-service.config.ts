import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { baseEnvSchema, loadConfig } from '@latchkey/service-kit';
import { parseCidr } from '../decision/domain/cidr.util';

/** `id:secret,id:secret` -> Map(id -> secret) */
const clientsSchema = z
  .string()
  .default('dev:dev-client-secret')
  .transform((value, ctx) => {
    const clients = new Map<string, string>();
    for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
      const colon = entry.indexOf(':');
      const id = colon > 0 ? entry.slice(0, colon) : '';
      const secret = colon > 0 ? entry.slice(colon + 1) : '';
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(id) || secret.length < 8) {
        // never echo the entry: it holds a secret
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected id:secret,... (id [A-Za-z0-9._-], secret >= 8 characters)' });
        return z.NEVER;
      }
      if (clients.has(id)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `client id "${id}" appears twice` });
        return z.NEVER;
      }
      clients.set(id, secret);
    }
    if (clients.size === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'at least one client is required' });
      return z.NEVER;
    }
    return clients;
  });

/** `cidr,cidr` -> list of valid ranges (IPv4 or IPv6); empty trusts no proxy */
const trustedProxiesSchema = z
  .string()
  .default('127.0.0.1/32,::1/128')
  .transform((value, ctx) => {
    const list = value.split(',').map((s) => s.trim()).filter(Boolean);
    for (const cidr of list) {
      if (!parseCidr(cidr)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${cidr.slice(0, 64)}" is not an IPv4 or IPv6 address or CIDR range` });
        return z.NEVER;
      }
    }
    return list;
  });

export const validationServiceEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3002),
  /** secret: HMAC key for token hashes; must equal token-service's */
  LATCHKEY_PEPPER: z.string().min(16, 'LATCHKEY_PEPPER must be at least 16 characters').default('dev-pepper-change-me-in-production'),
  LATCHKEY_TOKEN_PREFIX: z.string().regex(/^[a-z][a-z0-9]{0,14}_$/, 'LATCHKEY_TOKEN_PREFIX must look like "lk_"').default('lk_'),
  /** secret: the registered callers of /v1/validate */
  LATCHKEY_CLIENTS: clientsSchema,
  TOKEN_SERVICE_URL: z.string().url().default('http://127.0.0.1:3001'),
  /** unique per process: names this replica's broadcast consumer group */
  LATCHKEY_REPLICA_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'LATCHKEY_REPLICA_ID must be 1-64 of [A-Za-z0-9._-]')
    .default(() => randomBytes(6).toString('hex')),
  /** how long a "no such token" answer from the source is remembered (0 disables) */
  LATCHKEY_NEGATIVE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  LATCHKEY_CACHE_MAX_ENTRIES: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  /** memory bound of the in-process token cache in MiB (approximate; ~0.5 KB per token): whichever bound is hit first */
  LATCHKEY_CACHE_MAX_MB: z.coerce.number().int().min(1).max(16_384).default(128),
  /** backstop TTL of in-process cache entries (events keep them current meanwhile) */
  LATCHKEY_CACHE_TTL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  /** timeout of one call to token-service's internal lookup */
  LATCHKEY_SOURCE_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2000),
  /** no heartbeat through Kafka for this long: the caches are no longer trusted (0 disables the check) */
  LATCHKEY_MAX_STALENESS_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** what a stale replica does: verify = ask the source of truth on every request; deny = refuse valid tokens (503) */
  LATCHKEY_STALE_MODE: z.enum(['verify', 'deny']).default('verify'),
  /** peers allowed to set the client IP (X-Forwarded-For / X-Real-IP / X-Envoy-External-Address) */
  LATCHKEY_TRUSTED_PROXIES: trustedProxiesSchema,
  /** how often per-token usage is flushed to latchkey.usage.v1 (at most one message per token per window) */
  LATCHKEY_USAGE_FLUSH_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** denials published to latchkey.decision.v1 per token and per IP, per second; the rest is counted as dropped */
  LATCHKEY_DENIAL_EVENTS_PER_SECOND: z.coerce.number().int().min(0).max(10_000).default(5),
});
export type ValidationServiceConfig = z.infer<typeof validationServiceEnvSchema>;

export const VALIDATION_CONFIG = Symbol('VALIDATION_CONFIG');

export function loadValidationServiceConfig(env: NodeJS.ProcessEnv = process.env): ValidationServiceConfig {
  return loadConfig(validationServiceEnvSchema, env);
}
