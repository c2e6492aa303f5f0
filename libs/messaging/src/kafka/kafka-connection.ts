import { Kafka, logLevel, LogEntry } from 'kafkajs';
import { topicConfig } from '@latchkey/contracts';
import { consoleLogger, errorMessage, MessagingLogger } from '../logger';

export interface KafkaConnectionOptions {
  brokers: string[];
  clientId: string;
  logger?: MessagingLogger;
}

// Kafkajs logs are noisy while a broker is down: the same line every retry. Keep one line per message, at most
// every few seconds, and drop the warning about our deliberately bounded producer retries.
const REPEAT_WINDOW_MS = 5_000;
const IGNORED = ['Limiting retries for the idempotent producer'];

function quietLogCreator(logger: MessagingLogger) {
  const lastSeen = new Map<string, number>();
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      if (level > logLevel.WARN || IGNORED.some((s) => log.message.startsWith(s))) return;
      const detail = typeof log['error'] === 'string' ? ` (${log['error']})` : '';
      const line = `kafkajs ${namespace}: ${log.message}${detail}`;
      const now = Date.now();
      if ((lastSeen.get(line) ?? 0) > now - REPEAT_WINDOW_MS) return;
      if (lastSeen.size > 500) lastSeen.clear();
      lastSeen.set(line, now);
      if (level <= logLevel.ERROR) logger.error(line);
      else logger.warn(line);
    };
}

export function createKafka(options: KafkaConnectionOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: quietLogCreator(options.logger ?? consoleLogger),
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    // bounded, so a call against a dead broker fails within seconds and the caller decides how to back off
    retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 3 },
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates the topics that do not exist yet and waits until they have leaders: a topic used right after its
 * creation can otherwise answer UNKNOWN_TOPIC_OR_PARTITION for a moment.
 */
export async function ensureTopics(kafka: Kafka, topics: string[], partitions = 3, attempts = 10): Promise<void> {
  const admin = kafka.admin();
  let lastError: unknown;
  try {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await admin.connect();
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t));
        if (missing.length > 0) {
          try {
            await admin.createTopics({
              waitForLeaders: true,
              topics: missing.map((topic) => ({ topic, numPartitions: partitions, configEntries: topicConfig(topic) })),
            });
          } catch (err) {
            // another process created it between listTopics and createTopics
            if (!/already exists/i.test(errorMessage(err)) && !hasAlreadyExists(err)) throw err;
          }
        }
        await admin.fetchTopicMetadata({ topics });
        return;
      } catch (err) {
        lastError = err;
        await sleep(Math.min(250 * attempt, 2_000));
      }
    }
    throw new Error(`could not create Kafka topics ${topics.join(', ')}: ${errorMessage(lastError)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function hasAlreadyExists(err: unknown): boolean {
  const errors = (err as { errors?: unknown[] } | null)?.errors;
  return (
    Array.isArray(errors) &&
    errors.every((e) => (e as { type?: string } | null)?.type === 'TOPIC_ALREADY_EXISTS')
  );
}
