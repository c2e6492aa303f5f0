import { Client } from 'pg';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { redactUrl } from './config';

export interface Dependencies {
  postgres?: string;
  redis?: string;
  kafka?: string[];
}

async function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

async function checkPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

async function checkKafka(brokers: string[]): Promise<void> {
  const admin = new Kafka({ brokers, clientId: 'latchkey-preflight', logLevel: logLevel.NOTHING, retry: { retries: 1 }, connectionTimeout: 3000 }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Checks, before the app is built, that every dependency answers, and returns one clear line per missing one
 * (instead of a crash loop of stack traces).
 */
export async function preflight(deps: Dependencies, timeoutMs = 8000): Promise<string[]> {
  const checks: Array<Promise<string | null>> = [];
  const run = (name: string, target: string, fn: () => Promise<void>) =>
    checks.push(
      withTimeout(name, timeoutMs, fn()).then(
        () => null,
        (err: unknown) => `${name} at ${target} is not reachable: ${err instanceof Error ? err.message : String(err)}`,
      ),
    );
  if (deps.postgres) run('PostgreSQL', redactUrl(deps.postgres), () => checkPostgres(deps.postgres as string));
  if (deps.redis) run('Redis', redactUrl(deps.redis), () => checkRedis(deps.redis as string));
  if (deps.kafka) run('Kafka', deps.kafka.join(','), () => checkKafka(deps.kafka as string[]));
  return (await Promise.all(checks)).filter((x): x is string => x !== null);
}
