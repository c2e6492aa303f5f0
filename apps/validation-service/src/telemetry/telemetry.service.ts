import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DecisionChannel, DecisionEvent, Topics, topicName } from '@latchkey/contracts';
import { ensureTopics, EventPublisher, KafkaEventPublisher, OutgoingMessage } from '@latchkey/messaging';
import { VALIDATION_CONFIG, ValidationServiceConfig } from '../config/validation-service.config';
import type { Decision } from '../decision/domain';
import { ValidationMetrics } from '../metrics/validation.metrics';
import { KAFKA_CLIENT } from '../sync/token-sync.consumer';
import { DenialLimiter } from './denial.limiter';
import { UsageBatcher } from './usage.batcher';

const DENIAL_FLUSH_MS = 200;
const MAX_PENDING_DENIALS = 10_000;
const MAX_PATH = 512;

export interface DecisionContext {
  method: string;
  path: string;
  ip: string;
  userAgent?: string | null;
  channel: DecisionChannel;
}

export const TELEMETRY_PUBLISHER = Symbol('TELEMETRY_PUBLISHER');

/**
 * Telemetry out (issue 4): valid uses batched per token to latchkey.usage.v1, denials one by one (rate-limited per
 * token and IP) to latchkey.decision.v1. `record` is synchronous and never waits for Kafka; publishing happens on
 * timers, and what cannot be published is counted as dropped, never retried into unbounded memory.
 */
@Injectable()
export class TelemetryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TelemetryService.name);
  private readonly usage = new UsageBatcher();
  private readonly limiter: DenialLimiter;
  private denials: OutgoingMessage[] = [];
  private droppedSinceLast = 0;
  private readonly usageTopic: string;
  private readonly decisionTopic: string;
  private readonly replicaId: string;
  private timers: NodeJS.Timeout[] = [];
  private flushing = { usage: false, decision: false };
  private lastWarning = 0;

  constructor(
    @Inject(VALIDATION_CONFIG) private readonly config: ValidationServiceConfig,
    @Inject(TELEMETRY_PUBLISHER) private readonly publisher: EventPublisher,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly metrics: ValidationMetrics,
  ) {
    this.limiter = new DenialLimiter(config.LATCHKEY_DENIAL_EVENTS_PER_SECOND);
    this.usageTopic = topicName(Topics.usage, config.LATCHKEY_TOPIC_NAMESPACE);
    this.decisionTopic = topicName(Topics.decision, config.LATCHKEY_TOPIC_NAMESPACE);
    this.replicaId = config.LATCHKEY_REPLICA_ID;
  }

  record(decision: Decision, context: DecisionContext): void {
    const now = Date.now();
    if (decision.code === 'VALID') {
      if (decision.tokenId !== null && decision.userId !== null) {
        this.usage.record(decision.tokenId, decision.userId, context.ip, context.userAgent ?? null, now);
      }
      return;
    }
    if (decision.code === 'PASSWORD') return;
    if (!this.limiter.allow(decision.tokenId, context.ip, now)) return this.drop('rate_limit');
    if (this.denials.length >= MAX_PENDING_DENIALS) return this.drop('buffer_full');
    const event: DecisionEvent = {
      type: 'AccessDenied',
      decisionId: randomUUID(),
      occurredAt: new Date(now).toISOString(),
      replicaId: this.replicaId,
      channel: context.channel,
      code: decision.code,
      // an invalid token names nobody: no lockouts, no enumeration
      tokenId: decision.tokenId,
      userId: decision.userId,
      method: context.method,
      path: context.path.length > MAX_PATH ? context.path.slice(0, MAX_PATH) : context.path,
      ip: context.ip,
      userAgent: context.userAgent ?? null,
      droppedBefore: this.droppedSinceLast,
    };
    this.droppedSinceLast = 0;
    this.denials.push({
      topic: this.decisionTopic,
      key: decision.tokenId ?? context.ip,
      value: JSON.stringify(event),
      headers: { 'latchkey-event-type': event.type },
    });
  }

  private drop(reason: 'rate_limit' | 'buffer_full'): void {
    this.droppedSinceLast++;
    this.metrics.telemetryDropped.inc({ topic: Topics.decision, reason });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.timers.push(setInterval(() => void this.flushUsage(), this.config.LATCHKEY_USAGE_FLUSH_MS));
    this.timers.push(setInterval(() => void this.flushDenials(), DENIAL_FLUSH_MS));
    for (const t of this.timers) t.unref();
    // not awaited: telemetry must never hold back start-up or readiness
    void ensureTopics(this.kafka, [this.usageTopic, this.decisionTopic]).catch((err: unknown) =>
      this.warn(`telemetry topics not created yet: ${(err as Error).message}`),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.race([Promise.all([this.flushUsage(), this.flushDenials()]), new Promise((r) => setTimeout(r, 2_000).unref())]);
    if (this.publisher instanceof KafkaEventPublisher) await this.publisher.disconnect().catch(() => undefined);
  }

  async flushUsage(): Promise<void> {
    if (this.flushing.usage) return;
    const dropped = this.usage.dropped;
    if (dropped > 0) {
      this.usage.dropped = 0;
      this.metrics.telemetryDropped.inc({ topic: Topics.usage, reason: 'buffer_full' }, dropped);
    }
    const batch = this.usage.drain(this.replicaId, randomUUID);
    if (batch.length === 0) return;
    this.flushing.usage = true;
    try {
      await this.publisher.publish(
        batch.map((u) => ({ topic: this.usageTopic, key: u.tokenId, value: JSON.stringify(u), headers: { 'latchkey-event-type': u.type } })),
      );
      this.metrics.telemetryPublished.inc({ topic: Topics.usage }, batch.length);
    } catch (err) {
      this.metrics.telemetryDropped.inc({ topic: Topics.usage, reason: 'publish_failed' }, batch.length);
      this.warn(`usage not published (${batch.length} messages dropped): ${(err as Error).message}`);
    } finally {
      this.flushing.usage = false;
    }
  }

  async flushDenials(): Promise<void> {
    if (this.flushing.decision || this.denials.length === 0) return;
    const batch = this.denials;
    this.denials = [];
    this.flushing.decision = true;
    try {
      await this.publisher.publish(batch);
      this.metrics.telemetryPublished.inc({ topic: Topics.decision }, batch.length);
    } catch (err) {
      this.droppedSinceLast += batch.length;
      this.metrics.telemetryDropped.inc({ topic: Topics.decision, reason: 'publish_failed' }, batch.length);
      this.warn(`denials not published (${batch.length} dropped): ${(err as Error).message}`);
    } finally {
      this.flushing.decision = false;
    }
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn(message);
  }
}
