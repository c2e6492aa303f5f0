export * from './event-publisher.port';
export * from './event-subscriber.port';
export * from './logger';
export * from './deduplicator';
export * from './in-memory/in-memory-event-bus';
export * from './kafka/kafka-connection';
export * from './kafka/kafka-event-publisher';
export * from './kafka/kafka-subscriber';
