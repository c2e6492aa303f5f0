import { z } from 'zod';
import { baseEnvSchema, loadConfig } from '@latchkey/service-kit';

export const auditServiceEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3004),
  /** the PostgreSQL schema of the audit log; only tests change it (a fresh schema per run) */
  LATCHKEY_AUDIT_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,50}$/, 'LATCHKEY_AUDIT_SCHEMA must be a lower-case identifier')
    .default('audit'),
});
export type AuditServiceConfig = z.infer<typeof auditServiceEnvSchema>;

export const AUDIT_SERVICE_CONFIG = Symbol('AUDIT_SERVICE_CONFIG');

export function loadAuditServiceConfig(env: NodeJS.ProcessEnv = process.env): AuditServiceConfig {
  return loadConfig(auditServiceEnvSchema, env);
}

/** One work-sharing group for all replicas; a topic namespace gets its own group so test runs stay apart. */
export function auditConsumerGroup(namespace: string): string {
  return namespace ? `latchkey-audit-${namespace}` : 'latchkey-audit';
}
