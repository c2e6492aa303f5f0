import { z } from 'zod';
import { baseEnvSchema, loadConfig } from '@latchkey/service-kit';

const DEV_SCIM_TOKEN = 'dev-scim-token-change-me';
const DEV_ADMIN_SECRET = 'dev-policy-admin-secret-change-me';

export const policyServiceEnvSchema = baseEnvSchema
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(3003),
    /** the PostgreSQL schema of the policy event store; only tests change it (a fresh schema per run) */
    LATCHKEY_POLICY_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,50}$/, 'LATCHKEY_POLICY_SCHEMA must be a lower-case identifier')
      .default('policy'),
    /** secret: the bearer token the IdP's SCIM client presents on /scim/v2 */
    LATCHKEY_SCIM_TOKEN: z.string().min(16, 'LATCHKEY_SCIM_TOKEN must be at least 16 characters').default(DEV_SCIM_TOKEN),
    /**
     * secret: bearer token of the management API (policy, evaluate, directory, service accounts) until libs/auth
     * (OIDC + Latchkey admin tokens) is wired in; see auth/admin-authenticator.port.ts
     */
    LATCHKEY_POLICY_ADMIN_SECRET: z.string().min(16, 'LATCHKEY_POLICY_ADMIN_SECRET must be at least 16 characters').default(DEV_ADMIN_SECRET),
    LATCHKEY_OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (env.LATCHKEY_SCIM_TOKEN === DEV_SCIM_TOKEN) ctx.addIssue({ code: 'custom', path: ['LATCHKEY_SCIM_TOKEN'], message: 'must be set in production' });
    if (env.LATCHKEY_POLICY_ADMIN_SECRET === DEV_ADMIN_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['LATCHKEY_POLICY_ADMIN_SECRET'], message: 'must be set in production' });
    }
  });
export type PolicyServiceConfig = z.infer<typeof policyServiceEnvSchema>;

export const POLICY_SERVICE_CONFIG = Symbol('POLICY_SERVICE_CONFIG');

export function loadPolicyServiceConfig(env: NodeJS.ProcessEnv = process.env): PolicyServiceConfig {
  return loadConfig(policyServiceEnvSchema, env);
}
