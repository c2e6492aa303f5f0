import { EventPublisher } from '@latchkey/messaging';
import { DeadLetter, DeadLetterHeaders, DeadLetterSink } from '../dead-letter.port';

/** Publishes each dead letter, value unchanged, to the DLQ topic; the reason and origin travel in headers. */
export class KafkaDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly topic: string,
  ) {}

  async send(letters: DeadLetter[]): Promise<void> {
    await this.publisher.publish(
      letters.map(({ message: m, reason, detail }) => ({
        topic: this.topic,
        key: m.key ?? `${m.topic}:${m.partition}:${m.offset}`,
        value: m.value,
        headers: {
          ...m.headers,
          [DeadLetterHeaders.reason]: reason,
          [DeadLetterHeaders.detail]: detail.slice(0, 500),
          [DeadLetterHeaders.topic]: m.topic,
          [DeadLetterHeaders.partition]: String(m.partition),
          [DeadLetterHeaders.offset]: m.offset,
        },
      })),
    );
  }
}
