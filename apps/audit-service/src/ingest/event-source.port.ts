import { IncomingMessage } from '@latchkey/messaging';

/** Handles messages of one partition, in offset order; rejecting means "deliver the whole batch again". */
export type BatchHandler = (messages: IncomingMessage[]) => Promise<void>;

export interface SubscriptionOptions {
  /** work-sharing: every replica uses the same id */
  groupId: string;
  topics: string[];
  handler: BatchHandler;
}

/** A running subscription: messages go to the handler until stop(). */
export interface EventSubscription {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** every message that existed at start has been handled */
  caughtUp(): boolean;
  readonly healthy: boolean;
  readonly lastError: string | null;
}

/** Port: where audit events come from (Kafka in the service, in-process in unit tests). */
export interface EventSource {
  subscribe(options: SubscriptionOptions): EventSubscription;
}

export const EVENT_SOURCE = Symbol('AUDIT_EVENT_SOURCE');
