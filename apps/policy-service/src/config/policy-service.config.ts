import { z } from 'zod';
import { authEnvSchema } from '@latchkey/auth';
import { baseEnvSchema, loadConfig } from '@latchkey/service-kit';

const DEV_SCIM_TOKEN = 'dev-scim-token-change-me';
/** The development default of the pepper (shared with token-service): refused when NODE_ENV=production. */
const DEV_PEPPER = 'dev-pepper-change-me-in-production';

export const policyServiceEnvSchema = baseEnvSchema
  .merge(authEnvSchema)
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(3003),
    /** the PostgreSQL schema of the policy event store; only tests change it (a fresh schema per run) */
    LATCHKEY_POLICY_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,50}$/, 'LATCHKEY_POLICY_SCHEMA must be a lower-case identifier')
      .default('policy'),
    /** secret: the bearer token the IdP's SCIM client presents on /scim/v2 */
    LATCHKEY_SCIM_TOKEN: z.string().min(16, 'LATCHKEY_SCIM_TOKEN must be at least 16 characters').default(DEV_SCIM_TOKEN),
    /** token-service, which authenticates Latchkey admin tokens presented to the management API */
    TOKEN_SERVICE_URL: z.string().url().default('http://127.0.0.1:3001'),
    /** (secret) HMAC key of stored token hashes; must equal token-service's */
    LATCHKEY_PEPPER: z.string().min(16, 'LATCHKEY_PEPPER must be at least 16 characters').default(DEV_PEPPER),
    LATCHKEY_TOKEN_PREFIX: z.string().regex(/^[a-z][a-z0-9]{0,14}_$/, 'LATCHKEY_TOKEN_PREFIX must look like "lk_"').default('lk_'),
    LATCHKEY_OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (env.LATCHKEY_SCIM_TOKEN === DEV_SCIM_TOKEN) ctx.addIssue({ code: 'custom', path: ['LATCHKEY_SCIM_TOKEN'], message: 'must be set in production' });
    if (env.LATCHKEY_PEPPER === DEV_PEPPER) ctx.addIssue({ code: 'custom', path: ['LATCHKEY_PEPPER'], message: 'must be set in production' });
  });
export type PolicyServiceConfig = z.infer<typeof policyServiceEnvSchema>;

export const POLICY_SERVICE_CONFIG = Symbol('POLICY_SERVICE_CONFIG');

export function loadPolicyServiceConfig(env: NodeJS.ProcessEnv = process.env): PolicyServiceConfig {
  return loadConfig(policyServiceEnvSchema, env);
}
