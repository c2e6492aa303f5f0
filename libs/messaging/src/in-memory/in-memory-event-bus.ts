import { EventPublisher, OutgoingMessage } from '../event-publisher.port';
import { IncomingMessage, MessageHandler } from '../event-subscriber.port';

/**
 * In-process driver for unit tests: publish() hands each message to the topic's subscribers, in order, before
 * it resolves. One partition per topic, so every subscriber sees the global publish order.
 */
export class InMemoryEventBus implements EventPublisher {
  /** everything published, in order */
  readonly published: OutgoingMessage[] = [];
  /** errors thrown by handlers (a broker would redeliver; here they are kept for assertions) */
  readonly handlerErrors: unknown[] = [];
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private readonly offsets = new Map<string, number>();
  private failure: Error | null = null;

  /** make publish() reject with this error until called again with null (simulates a broker outage) */
  failWith(error: Error | null): void {
    this.failure = error;
  }

  subscribe(topic: string, handler: MessageHandler): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (this.failure) throw this.failure;
    for (const m of messages) {
      const offset = this.offsets.get(m.topic) ?? 0;
      this.offsets.set(m.topic, offset + 1);
      this.published.push(m);
      const incoming: IncomingMessage = {
        topic: m.topic,
        partition: 0,
        offset: String(offset),
        key: m.key,
        value: m.value,
        headers: { ...(m.headers ?? {}) },
      };
      for (const handler of [...(this.handlers.get(m.topic) ?? [])]) {
        try {
          await handler(incoming);
        } catch (err) {
          this.handlerErrors.push(err);
        }
      }
    }
  }

  /** the published messages of one topic */
  messagesOn(topic: string): OutgoingMessage[] {
    return this.published.filter((m) => m.topic === topic);
  }
}
