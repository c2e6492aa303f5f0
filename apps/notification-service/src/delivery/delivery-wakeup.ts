import { Injectable } from '@nestjs/common';

/** Wakes the dispatcher when this process queued something, instead of waiting for its next poll. */
@Injectable()
export class DeliveryWakeup {
  private readonly listeners = new Set<() => void>();

  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  wake(): void {
    for (const l of this.listeners) l();
  }
}
