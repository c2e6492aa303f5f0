import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
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

/**
 * A Kafka broker run by tools/infra/kafka.sh, really stopped and started by failure tests. Tests that stop a
 * broker use a private one (own port and data) so that nothing else sharing the default broker is disturbed.
 */
export class KafkaBroker {
  readonly brokers: string[];
  private readonly env: NodeJS.ProcessEnv;

  constructor(readonly port = 9092) {
    this.brokers = [`127.0.0.1:${port}`];
    this.env =
      port === 9092
        ? process.env
        : { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(port + 1), KAFKA_STATE_DIR: path.join(WORKSPACE_ROOT, '.infra', `kafka-${port}`) };
  }

  /** a private broker on a free-ish port derived from the pid, so parallel test processes don't collide */
  static private(): KafkaBroker {
    return new KafkaBroker(19092 + (process.pid % 400) * 2);
  }

  async start(): Promise<void> {
    await run('bash', [path.join(WORKSPACE_ROOT, 'tools/infra/kafka.sh'), 'start'], { cwd: WORKSPACE_ROOT, env: this.env, timeout: 120_000 });
  }

  async stop(): Promise<void> {
    await run('bash', [path.join(WORKSPACE_ROOT, 'tools/infra/kafka.sh'), 'stop'], { cwd: WORKSPACE_ROOT, env: this.env, timeout: 60_000 });
  }

  /** stop, and for a private broker also delete its data */
  async destroy(): Promise<void> {
    await this.stop();
    if (this.port !== 9092) await rm(path.join(WORKSPACE_ROOT, '.infra', `kafka-${this.port}`), { recursive: true, force: true });
  }
}

/** A private redis-server (no persistence) that a failure test may stop and start. */
export class RedisServer {
  readonly url: string;
  constructor(readonly port = 16379 + (process.pid % 400)) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    await run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no', '--pidfile', this.pidFile()]);
    for (let i = 0; i < 100; i++) {
      try {
        await run('redis-cli', ['-p', String(this.port), 'ping']);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`redis-server on ${this.port} did not answer`);
  }

  async stop(): Promise<void> {
    await run('redis-cli', ['-p', String(this.port), 'shutdown', 'nosave']).catch(() => undefined);
  }

  private pidFile(): string {
    return path.join(WORKSPACE_ROOT, 'tmp', `redis-${this.port}.pid`);
  }
}
