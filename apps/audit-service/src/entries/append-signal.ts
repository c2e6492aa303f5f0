import { Injectable } from '@nestjs/common';

/** In-process "entries were appended": wakes the SIEM feed at once instead of at its next poll. */
@Injectable()
export class AppendSignal {
  private readonly listeners = new Set<() => void>();

  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(): void {
    for (const l of this.listeners) l();
  }
}
