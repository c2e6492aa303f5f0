/**
 * Appends committed in this process, by schema. PgEventStore signals here right after its commit, and an
 * OutboxRelay of the same schema in the same process wakes at once, without waiting for its NOTIFY to come back
 * through PostgreSQL (another backend process that has to be scheduled: up to tens of ms on a busy machine).
 * NOTIFY still wakes the relays of other processes.
 */
const listeners = new Map<string, Set<() => void>>();

/** the NOTIFY payload of this process's appends: its own relay, already woken by the signal, skips them */
export const LOCAL_APPEND_ORIGIN = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

/** calls `wake` after each append committed in this process to `schema`; returns the unsubscribe function */
export function onLocalAppend(schema: string, wake: () => void): () => void {
  let set = listeners.get(schema);
  if (!set) listeners.set(schema, (set = new Set()));
  set.add(wake);
  return () => {
    set.delete(wake);
    if (set.size === 0 && listeners.get(schema) === set) listeners.delete(schema);
  };
}

/** an append to `schema` has committed in this process */
export function signalLocalAppend(schema: string): void {
  for (const wake of listeners.get(schema) ?? []) wake();
}
