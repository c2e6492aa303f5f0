/** A message to publish: the key keeps per-aggregate order (same key, same partition). */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/** Port: publishes messages in the given order; rejects if any of them was not acknowledged. */
export interface EventPublisher {
  publish(messages: OutgoingMessage[]): Promise<void>;
}

export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');
