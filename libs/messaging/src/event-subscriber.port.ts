/** A message as a subscriber receives it. */
export interface IncomingMessage {
  topic: string;
  partition: number;
  /** Kafka offsets are int64: kept as a decimal string */
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** Rejecting means "not handled": the message is delivered again (at-least-once). */
export type MessageHandler = (m: IncomingMessage) => Promise<void>;
