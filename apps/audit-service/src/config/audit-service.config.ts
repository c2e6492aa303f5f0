import { z } from 'zod';
import { authEnvSchema } from '@latchkey/auth';
import { baseEnvSchema, loadConfig } from '@latchkey/service-kit';

/** The development default of the pepper (shared with token-service): refused when NODE_ENV=production. */
export const DEV_PEPPER = 'dev-pepper-change-me-in-production';

const ms = (def: number, min = 10) => z.coerce.number().int().min(min).default(def);

export const auditServiceEnvSchema = baseEnvSchema
  .merge(authEnvSchema)
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(3004),
    /** the PostgreSQL schema of the audit log; only tests change it (a fresh schema per run) */
    LATCHKEY_AUDIT_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,50}$/, 'LATCHKEY_AUDIT_SCHEMA must be a lower-case identifier')
      .default('audit'),
    /** token-service, which authenticates Latchkey admin tokens presented to the audit API */
    TOKEN_SERVICE_URL: z.string().url().default('http://127.0.0.1:3001'),
    /** (secret) HMAC key of stored token hashes; must equal token-service's */
    LATCHKEY_PEPPER: z.string().min(16, 'LATCHKEY_PEPPER must be at least 16 characters').default(DEV_PEPPER),
    LATCHKEY_TOKEN_PREFIX: z.string().regex(/^[a-z][a-z0-9]{0,14}_$/, 'LATCHKEY_TOKEN_PREFIX must look like "lk_"').default('lk_'),
    /** (secret) Ed25519 private key for checkpoints: PKCS8 PEM, or base64 of the PEM or DER */
    LATCHKEY_AUDIT_SIGNING_KEY: z.string().optional(),
    /** without LATCHKEY_AUDIT_SIGNING_KEY (development only): a key generated once and kept in this file (0600) */
    LATCHKEY_AUDIT_SIGNING_KEY_FILE: z.string().default('.latchkey/audit-signing-key.pem'),
    LATCHKEY_AUDIT_CHECKPOINT_INTERVAL_MS: ms(60_000, 100),
    /** retention of denial and usage entries' detail (payload, IP, user agent) */
    LATCHKEY_AUDIT_RETENTION_DAYS: z.coerce.number().min(0.0001).default(365),
    LATCHKEY_AUDIT_RETENTION_INTERVAL_MS: ms(3_600_000, 100),
    /** most entries appended per transaction */
    LATCHKEY_AUDIT_INGEST_BATCH: z.coerce.number().int().min(1).max(5_000).default(1_000),
    LATCHKEY_AUDIT_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(30_000).default(10_000),
    LATCHKEY_AUDIT_SIEM_BATCH: z.coerce.number().int().min(1).max(5_000).default(1_000),
    LATCHKEY_AUDIT_SIEM_POLL_MS: ms(500),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV !== 'production') return;
    if (c.LATCHKEY_PEPPER === DEV_PEPPER) {
      ctx.addIssue({ code: 'custom', path: ['LATCHKEY_PEPPER'], message: 'set the real pepper in production' });
    }
    if (!c.LATCHKEY_AUDIT_SIGNING_KEY) {
      ctx.addIssue({ code: 'custom', path: ['LATCHKEY_AUDIT_SIGNING_KEY'], message: 'an Ed25519 key is required in production' });
    }
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

/** The dead-letter topic of the audit ingest, namespaced like every topic (topicName's rule). */
export const AUDIT_DLQ_TOPIC = 'latchkey.audit.dlq.v1';
export function auditDlqTopic(namespace: string): string {
  return namespace ? `${namespace}.${AUDIT_DLQ_TOPIC}` : AUDIT_DLQ_TOPIC;
}
