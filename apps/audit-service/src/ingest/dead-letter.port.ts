import { IncomingMessage } from '@latchkey/messaging';
import { RejectionReason } from './domain/audit-message.decoder';

export interface DeadLetter {
  message: IncomingMessage;
  reason: RejectionReason;
  detail: string;
}

/** Port: where messages that can never be recorded go, with the reason (a Kafka topic; an array in unit tests). */
export interface DeadLetterSink {
  send(letters: DeadLetter[]): Promise<void>;
}

export const DEAD_LETTER_SINK = Symbol('AUDIT_DEAD_LETTER_SINK');

/** Kafka message headers of a dead letter. */
export const DeadLetterHeaders = {
  reason: 'latchkey-dlq-reason',
  detail: 'latchkey-dlq-detail',
  topic: 'latchkey-dlq-topic',
  partition: 'latchkey-dlq-partition',
  offset: 'latchkey-dlq-offset',
} as const;
