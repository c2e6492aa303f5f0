import { z } from 'zod';
import { authEnvSchema } from '@latchkey/auth';
import { baseEnvSchema, loadConfig } from '@latchkey/service-kit';

export const tokenServiceEnvSchema = baseEnvSchema.merge(authEnvSchema).extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  /** secret: HMAC key for stored token hashes; shared with validation-service */
  LATCHKEY_PEPPER: z.string().min(16, 'LATCHKEY_PEPPER must be at least 16 characters').default('dev-pepper-change-me-in-production'),
  LATCHKEY_TOKEN_PREFIX: z.string().regex(/^[a-z][a-z0-9]{0,14}_$/, 'LATCHKEY_TOKEN_PREFIX must look like "lk_"').default('lk_'),
  LATCHKEY_BOOTSTRAP_ADMINS: z.string().default('admin'),
  LATCHKEY_BOOTSTRAP_TOKEN_FILE: z.string().default('.latchkey/bootstrap-admin.token'),
  LATCHKEY_OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  /** how long a revoke waits for every live validation replica to confirm */
  LATCHKEY_REVOKE_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2000),
  LATCHKEY_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  LATCHKEY_EXPIRY_WARNING_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** leaked-token reports accepted per client IP per minute */
  LATCHKEY_LEAKED_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
});
export type TokenServiceConfig = z.infer<typeof tokenServiceEnvSchema>;

export const TOKEN_SERVICE_CONFIG = Symbol('TOKEN_SERVICE_CONFIG');
export const TOKEN_SCHEMA = 'token';

export function loadTokenServiceConfig(env: NodeJS.ProcessEnv = process.env): TokenServiceConfig {
  return loadConfig(tokenServiceEnvSchema, env);
}
