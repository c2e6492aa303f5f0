export * from './schema';
export * from './sql-transaction';
export * from './stream-version-conflict.error';
export * from './pg-event-store';
export * from './outbox-relay';
export { signalLocalAppend } from './local-append-signal';
