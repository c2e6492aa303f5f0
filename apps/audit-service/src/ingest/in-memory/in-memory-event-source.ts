import { InMemoryEventBus } from '@latchkey/messaging';
import { EventSource, EventSubscription, SubscriptionOptions } from '../event-source.port';

/** In-process driver of EventSource for unit tests: delivers each message published on the bus after start(). */
export class InMemoryEventSource implements EventSource {
  readonly subscriptions: SubscriptionOptions[] = [];

  constructor(readonly bus: InMemoryEventBus = new InMemoryEventBus()) {}

  subscribe(options: SubscriptionOptions): EventSubscription {
    this.subscriptions.push(options);
    const unsubscribers: Array<() => void> = [];
    let started = false;
    return {
      start: async () => {
        started = true;
        for (const topic of options.topics) unsubscribers.push(this.bus.subscribe(topic, (m) => options.handler([m])));
      },
      stop: async () => {
        started = false;
        for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      },
      caughtUp: () => started,
      get healthy() {
        return started;
      },
      lastError: null,
    };
  }
}
