import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
export const WORKSPACE_ROOT = path.resolve(__dirname, '..', '..', '..');

export const infraDefaults = {
  adminDatabaseUrl: process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
};

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** A fresh, empty database for one test file; drop it in afterAll. */
export async function createDatabase(prefix = 'lk_test'): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = uniqueName(prefix).toLowerCase();
  const admin = new Client({ connectionString: infraDefaults.adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(infraDefaults.adminDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: infraDefaults.adminDatabaseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Really stops and starts the project's Kafka broker (tools/infra/kafka.sh). */
export const kafkaBroker = {
  async stop(): Promise<void> {
    await run('bash', [path.join(WORKSPACE_ROOT, 'tools/infra/kafka.sh'), 'stop'], { cwd: WORKSPACE_ROOT });
  },
  async start(): Promise<void> {
    await run('bash', [path.join(WORKSPACE_ROOT, 'tools/infra/kafka.sh'), 'start'], { cwd: WORKSPACE_ROOT, timeout: 120_000 });
  },
};
