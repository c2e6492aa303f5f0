import { z } from 'zod';
import { baseEnvSchema, loadConfig } from '@latchkey/service-kit';

export const tokenServiceEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  /** secret: HMAC key for stored token hashes; shared with validation-service */
  LATCHKEY_PEPPER: z.string().min(16, 'LATCHKEY_PEPPER must be at least 16 characters').default('dev-pepper-change-me-in-production'),
  LATCHKEY_TOKEN_PREFIX: z.string().regex(/^[a-z][a-z0-9]{0,14}_$/, 'LATCHKEY_TOKEN_PREFIX must look like "lk_"').default('lk_'),
  LATCHKEY_BOOTSTRAP_ADMINS: z.string().default('admin'),
  LATCHKEY_BOOTSTRAP_TOKEN_FILE: z.string().default('.latchkey/bootstrap-admin.token'),
  LATCHKEY_OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
});
export type TokenServiceConfig = z.infer<typeof tokenServiceEnvSchema>;

export const TOKEN_SERVICE_CONFIG = Symbol('TOKEN_SERVICE_CONFIG');
export const TOKEN_SCHEMA = 'token';

export function loadTokenServiceConfig(env: NodeJS.ProcessEnv = process.env): TokenServiceConfig {
  return loadConfig(tokenServiceEnvSchema, env);
}
