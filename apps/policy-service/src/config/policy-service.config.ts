import { z } from 'zod';
import { baseEnvSchema, loadConfig } from '@latchkey/service-kit';

export const policyServiceEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3003),
  /** the PostgreSQL schema of the policy event store; only tests change it (a fresh schema per run) */
  LATCHKEY_POLICY_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,50}$/, 'LATCHKEY_POLICY_SCHEMA must be a lower-case identifier')
    .default('policy'),
});
export type PolicyServiceConfig = z.infer<typeof policyServiceEnvSchema>;

export const POLICY_SERVICE_CONFIG = Symbol('POLICY_SERVICE_CONFIG');

export function loadPolicyServiceConfig(env: NodeJS.ProcessEnv = process.env): PolicyServiceConfig {
  return loadConfig(policyServiceEnvSchema, env);
}
