import { z } from 'zod';
import { authEnvSchema } from '@latchkey/auth';
import { baseEnvSchema, loadConfig } from '@latchkey/service-kit';

/** The development default of the pepper (shared with token-service): refused when NODE_ENV=production. */
export const DEV_PEPPER = 'dev-pepper-change-me-in-production';

const ms = (def: number, min = 10) => z.coerce.number().int().min(min).default(def);
const dayList = z
  .string()
  .transform((s) => [...new Set(s.split(',').map((d) => Number(d.trim())))].sort((a, b) => b - a))
  .refine((list) => list.length > 0 && list.every((d) => Number.isInteger(d) && d >= 1 && d <= 365), 'expected whole days 1..365, e.g. 14,7,1');
const emailList = z
  .string()
  .transform((s) => s.split(',').map((e) => e.trim()).filter(Boolean))
  .refine((list) => list.every((e) => /^[^\s@]+@[^\s@]+$/.test(e)), 'expected e-mail addresses separated by commas');

export const notificationServiceEnvSchema = baseEnvSchema
  .merge(authEnvSchema)
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(3006),
    /** token-service, which authenticates Latchkey tokens presented to this API */
    TOKEN_SERVICE_URL: z.string().url().default('http://127.0.0.1:3001'),
    /** (secret) HMAC key of stored token hashes; must equal token-service's */
    LATCHKEY_PEPPER: z.string().min(16, 'LATCHKEY_PEPPER must be at least 16 characters').default(DEV_PEPPER),
    LATCHKEY_TOKEN_PREFIX: z.string().regex(/^[a-z][a-z0-9]{0,14}_$/, 'LATCHKEY_TOKEN_PREFIX must look like "lk_"').default('lk_'),
    /** SMTP relay: smtp://host:port (STARTTLS when offered) or smtps://host:port; user and password in the URL */
    LATCHKEY_SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'LATCHKEY_SMTP_URL must be smtp://host:port or smtps://host:port').default('smtp://127.0.0.1:2525'),
    LATCHKEY_MAIL_FROM: z.string().min(3).default('Latchkey <latchkey@localhost>'),
    /** days before expiry when the owner is reminded, once each */
    LATCHKEY_NOTIFY_REMINDER_DAYS: dayList.default('14,7,1'),
    LATCHKEY_NOTIFY_REMINDER_INTERVAL_MS: ms(3_600_000, 100),
    /** hour (UTC) after which the admin digest of the day is sent */
    LATCHKEY_NOTIFY_DIGEST_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(8),
    LATCHKEY_NOTIFY_DIGEST_CHECK_MS: ms(60_000, 100),
    /** never-used tokens older than this are listed in the digest */
    LATCHKEY_NOTIFY_NEVER_USED_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** extra recipients of the admin digest, besides the members of LATCHKEY_ADMIN_GROUP in the directory */
    LATCHKEY_NOTIFY_ADMIN_EMAILS: emailList.default(''),
    /** attempts per delivery before it goes to the dead-letter store */
    LATCHKEY_NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
    /** first retry delay; each next one doubles (with jitter), up to LATCHKEY_NOTIFY_RETRY_MAX_MS */
    LATCHKEY_NOTIFY_RETRY_BASE_MS: ms(30_000),
    LATCHKEY_NOTIFY_RETRY_MAX_MS: ms(6 * 3_600_000),
    /** how long a claimed delivery is someone's before another worker may take it over (a crash mid-send) */
    LATCHKEY_NOTIFY_LEASE_MS: ms(60_000, 100),
    LATCHKEY_NOTIFY_POLL_MS: ms(1_000),
    /** false: this process queues notices but sends nothing (dedicated sender replicas, or a benchmark of the queueing) */
    LATCHKEY_NOTIFY_DISPATCH: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    /** deliveries sent at the same time by one process */
    LATCHKEY_NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    LATCHKEY_NOTIFY_HTTP_TIMEOUT_MS: ms(10_000, 100),
    /** webhooks to loopback, private and link-local addresses: allowed by default except in production */
    LATCHKEY_NOTIFY_WEBHOOK_PRIVATE_TARGETS: z.enum(['allow', 'deny']).optional(),
    /** events older than this still update the service's view but cause no notice (a new group replays history) */
    LATCHKEY_NOTIFY_MAX_EVENT_AGE_MS: ms(24 * 3_600_000, 1_000),
    LATCHKEY_NOTIFY_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(30_000).default(10_000),
    LATCHKEY_OUTBOX_POLL_MS: ms(1_000),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && c.LATCHKEY_PEPPER === DEV_PEPPER) {
      ctx.addIssue({ code: 'custom', path: ['LATCHKEY_PEPPER'], message: 'set the real pepper in production' });
    }
  });
export type NotificationServiceConfig = z.infer<typeof notificationServiceEnvSchema>;

/** true when webhooks may go to private addresses (explicit setting, else everywhere but production) */
export function allowPrivateWebhookTargets(c: Pick<NotificationServiceConfig, 'NODE_ENV' | 'LATCHKEY_NOTIFY_WEBHOOK_PRIVATE_TARGETS'>): boolean {
  return (c.LATCHKEY_NOTIFY_WEBHOOK_PRIVATE_TARGETS ?? (c.NODE_ENV === 'production' ? 'deny' : 'allow')) === 'allow';
}

export const NOTIFICATION_SERVICE_CONFIG = Symbol('NOTIFICATION_SERVICE_CONFIG');

/** The PostgreSQL schema of the service (one database, one schema per service). */
export const NOTIFICATION_SCHEMA = 'notification';

export function loadNotificationServiceConfig(env: NodeJS.ProcessEnv = process.env): NotificationServiceConfig {
  return loadConfig(notificationServiceEnvSchema, env);
}

/** One work-sharing group for all replicas; a topic namespace gets its own group so test runs stay apart. */
export function notificationConsumerGroup(namespace: string): string {
  return namespace ? `latchkey-notification-${namespace}` : 'latchkey-notification';
}
