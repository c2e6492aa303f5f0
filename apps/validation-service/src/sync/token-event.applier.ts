import { Logger } from '@nestjs/common';
import { isEventEnvelope, isTokenEvent, TokenEvent, TokenEventTypes } from '@latchkey/contracts';
import type { IncomingMessage } from '@latchkey/messaging';
import type { MemoryTokenCache } from '../cache/memory-token.cache';
import type { TokenReadModel } from '../cache/token-read-model.port';
import type { ValidationMetrics } from '../metrics/validation.metrics';

/**
 * Applies one token-topic message: the in-process state first (so this replica answers REVOKED as soon as the
 * handler returns), then the shared Redis read model (version-guarded). A Redis failure is counted and logged,
 * never retried here: blocking the topic would also hold back later revocations.
 */
export class TokenEventApplier {
  private readonly logger = new Logger(TokenEventApplier.name);

  constructor(
    private readonly memory: MemoryTokenCache,
    private readonly readModel: TokenReadModel,
    private readonly metrics: ValidationMetrics,
  ) {}

  readonly handle = async (message: IncomingMessage): Promise<void> => {
    const event = this.parse(message);
    if (!event) return;
    await this.apply(event);
  };

  async apply(event: TokenEvent): Promise<void> {
    const state = event.state;
    if (event.type === TokenEventTypes.issued || event.type === TokenEventTypes.rotated) this.memory.forgetMissing();
    this.memory.putToken(state);
    try {
      await this.readModel.saveToken(state);
    } catch (err) {
      this.metrics.readModelWriteFailures.inc();
      this.logger.warn(`read model not updated for token ${state.id} v${state.version}: ${(err as Error).message}`);
    }
    this.metrics.eventsApplied.inc();
  }

  private parse(message: IncomingMessage): TokenEvent | null {
    let value: unknown;
    try {
      value = JSON.parse(message.value);
    } catch {
      return this.skip('not-json', message);
    }
    if (!isEventEnvelope(value) || !isTokenEvent(value)) return this.skip('not-a-token-event', message);
    const s = value.state as Partial<TokenEvent['state']> | null;
    if (!s || typeof s.id !== 'string' || typeof s.version !== 'number' || s.id !== value.aggregateId) {
      return this.skip('bad-state', message);
    }
    return value;
  }

  private skip(reason: string, message: IncomingMessage): null {
    this.metrics.eventsSkipped.inc({ reason });
    this.logger.warn(`skipped ${message.topic}[${message.partition}]@${message.offset}: ${reason}`);
    return null;
  }
}
