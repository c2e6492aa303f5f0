import { Logger } from '@nestjs/common';
import { Heartbeat, isEventEnvelope, isHeartbeat, isHeartbeatMessage, isTokenEvent, TokenEvent, TokenEventTypes } from '@latchkey/contracts';
import type { IncomingMessage } from '@latchkey/messaging';
import type { MemoryTokenCache } from '../cache/memory-token.cache';
import type { TokenReadModel } from '../cache/token-read-model.port';
import type { ValidationMetrics } from '../metrics/validation.metrics';

export interface TokenEventApplierHooks {
  /** a heartbeat was read from `partition` (heartbeats are not events: nothing else happens) */
  onHeartbeat?: (heartbeat: Heartbeat, partition: number) => void;
  /** a token event is now applied in memory (before the Redis write): acknowledged revocation */
  onApplied?: (event: TokenEvent) => void;
}

/** Redis writes in flight before the handler waits for one (back-pressure while catching up with the topic). */
export const MAX_PENDING_READ_MODEL_WRITES = 256;

/**
 * Applies one token-topic message: the in-process state first (so this replica answers REVOKED as soon as the
 * handler returns), then the shared Redis read model (version-guarded). The Redis write is not awaited by the
 * handler: the next event (say the next of a bulk revocation) would otherwise wait for it. Writes may overlap and
 * land out of order; the version guard keeps the newest. A Redis failure is counted and logged, never retried
 * here: blocking the topic would also hold back later revocations.
 */
export class TokenEventApplier {
  private readonly logger = new Logger(TokenEventApplier.name);
  private readonly pendingWrites = new Set<Promise<void>>();

  constructor(
    private readonly memory: MemoryTokenCache,
    private readonly readModel: TokenReadModel,
    private readonly metrics: ValidationMetrics,
    private readonly hooks: TokenEventApplierHooks = {},
  ) {}

  readonly handle = async (message: IncomingMessage): Promise<void> => {
    const event = this.parse(message);
    if (!event) return;
    await this.apply(event);
  };

  /**
   * A token event announced on the revocation fast lane (Redis pub/sub, beside the topic): applied like one read
   * from the topic. The topic's copy follows and changes nothing (version guard); a malformed one is skipped.
   */
  async applyAnnounced(json: string): Promise<boolean> {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      return this.skipAnnounced('not-json') ?? false;
    }
    const event = this.tokenEventOf(value);
    if (!event) return this.skipAnnounced('not-a-token-event') ?? false;
    await this.apply(event);
    return true;
  }

  async apply(event: TokenEvent): Promise<void> {
    const state = event.state;
    if (event.type === TokenEventTypes.issued || event.type === TokenEventTypes.rotated) this.memory.forgetMissing();
    this.memory.putToken(state);
    this.hooks.onApplied?.(event);
    this.metrics.eventsApplied.inc();
    const write = this.save(state);
    this.pendingWrites.add(write);
    void write.finally(() => this.pendingWrites.delete(write));
    if (this.pendingWrites.size >= MAX_PENDING_READ_MODEL_WRITES) await Promise.race(this.pendingWrites);
  }

  /** resolves once every read-model write started so far has finished (at shutdown, before Redis closes) */
  async flush(): Promise<void> {
    await Promise.all(this.pendingWrites);
  }

  private async save(state: TokenEvent['state']): Promise<void> {
    try {
      await this.readModel.saveToken(state);
    } catch (err) {
      this.metrics.readModelWriteFailures.inc();
      this.logger.warn(`read model not updated for token ${state.id} v${state.version}: ${(err as Error).message}`);
    }
  }

  private parse(message: IncomingMessage): TokenEvent | null {
    const heartbeatHeader = isHeartbeatMessage(message.headers);
    let value: unknown;
    try {
      value = JSON.parse(message.value);
    } catch {
      return heartbeatHeader ? null : this.skip('not-json', message);
    }
    if (isHeartbeat(value)) {
      this.hooks.onHeartbeat?.(value, message.partition);
      return null;
    }
    if (heartbeatHeader) return null;
    return this.tokenEventOf(value) ?? this.skip('not-a-token-event', message);
  }

  /** a token event whose state names its aggregate and has a version, else null */
  private tokenEventOf(value: unknown): TokenEvent | null {
    if (!isEventEnvelope(value) || !isTokenEvent(value)) return null;
    const s = value.state as Partial<TokenEvent['state']> | null;
    return s && typeof s.id === 'string' && typeof s.version === 'number' && s.id === value.aggregateId ? value : null;
  }

  private skipAnnounced(reason: string): null {
    this.metrics.eventsSkipped.inc({ reason });
    this.logger.warn(`skipped an announced token event: ${reason}`);
    return null;
  }

  private skip(reason: string, message: IncomingMessage): null {
    this.metrics.eventsSkipped.inc({ reason });
    this.logger.warn(`skipped ${message.topic}[${message.partition}]@${message.offset}: ${reason}`);
    return null;
  }
}
