import { z } from 'zod';

/** Thrown at start when the environment is wrong; the message names the variable. */
export class ConfigError extends Error {}

/** Settings every service shares; each app extends this with its own. */
export const baseEnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/latchkey'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
    .refine((list) => list.length > 0 && list.every((b) => /^[^\s:]+:\d+$/.test(b)), 'expected host:port[,host:port...]'),
  /** prefixes every topic name; empty in production, unique per run in tests */
  LATCHKEY_TOPIC_NAMESPACE: z.string().regex(/^[a-zA-Z0-9._-]*$/).default(''),
  /** shared secret for service-to-service calls */
  LATCHKEY_INTERNAL_SECRET: z.string().min(16).default('dev-internal-secret-change-me'),
});
export type BaseEnv = z.infer<typeof baseEnvSchema>;

export function loadConfig<T extends z.ZodTypeAny>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/** Redacts the password of a connection URL for log lines. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable url)';
  }
}
