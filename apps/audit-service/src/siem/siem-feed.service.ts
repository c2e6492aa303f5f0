import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { Topics, topicName } from '@latchkey/contracts';
import { EVENT_PUBLISHER, EventPublisher } from '@latchkey/messaging';
import { METRICS_REGISTRY, ReadinessRegistry } from '@latchkey/service-kit';
import { AUDIT_SERVICE_CONFIG, AuditServiceConfig } from '../config/audit-service.config';
import { AppendSignal } from '../entries/append-signal';
import { toEcsRecord } from './domain/ecs-record';
import { SiemFeedRepository } from './siem-feed.repository';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Publishes every audit entry, in chain order, as one ECS record on latchkey.audit.v1 keyed by its event id.
 * At-least-once: a failed send leaves the cursor where it was and is retried with back-off (Kafka down loses nothing).
 */
@Injectable()
export class SiemFeedService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SiemFeedService.name);
  readonly topic: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private woken = false;
  private unsubscribe: (() => void) | null = null;
  private readonly published: Counter<string>;
  private readonly failures: Counter<string>;
  private _healthy = true;

  constructor(
    private readonly feed: SiemFeedRepository,
    private readonly appended: AppendSignal,
    @Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher,
    @Inject(AUDIT_SERVICE_CONFIG) private readonly config: AuditServiceConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
    readiness: ReadinessRegistry,
  ) {
    this.topic = topicName(Topics.audit, config.LATCHKEY_TOPIC_NAMESPACE);
    this.published = new Counter({ name: 'latchkey_audit_siem_published_total', help: 'ECS records published on the audit topic', registers: [registry] });
    this.failures = new Counter({ name: 'latchkey_audit_siem_failures_total', help: 'Failed SIEM publish attempts (retried)', registers: [registry] });
    // informational: a SIEM backlog while Kafka is down must not take the service out of rotation
    readiness.register({ name: 'siem-feed', check: async () => ({ ok: true, detail: { healthy: this._healthy } }) });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.unsubscribe = this.appended.on(() => this.signal());
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.signal();
    await this.loop;
  }

  /** one pass; returns how many records were published */
  publishOnce(): Promise<number> {
    return this.feed.publishNext(this.config.LATCHKEY_AUDIT_SIEM_BATCH, async (entries) => {
      await this.publisher.publish(
        entries.map((e) => ({
          topic: this.topic,
          key: e.eventId,
          value: JSON.stringify(toEcsRecord(e)),
          headers: { 'latchkey-event-id': e.eventId, 'latchkey-audit-seq': String(e.seq) },
        })),
      );
    });
  }

  private async run(): Promise<void> {
    let backoff = 250;
    while (this.running) {
      this.woken = false;
      try {
        const n = await this.publishOnce();
        this.published.inc(n);
        if (!this._healthy) this.logger.log('SIEM feed publishing again');
        this._healthy = true;
        backoff = 250;
        if (n === this.config.LATCHKEY_AUDIT_SIEM_BATCH) continue;
        await this.idle(this.config.LATCHKEY_AUDIT_SIEM_POLL_MS);
      } catch (err) {
        this.failures.inc();
        if (this._healthy) this.logger.warn(`SIEM feed publish failed, retrying with back-off: ${errorText(err)}`);
        this._healthy = false;
        await this.idle(backoff, true);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  private idle(ms: number, ignoreSignals = false): Promise<void> {
    if (!this.running || (this.woken && !ignoreSignals)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = ignoreSignals ? () => (this.running ? undefined : done()) : done;
    });
  }

  private signal(): void {
    this.woken = true;
    this.wake?.();
  }
}
