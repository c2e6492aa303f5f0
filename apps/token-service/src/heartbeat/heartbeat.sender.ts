import { Heartbeat, HEARTBEAT_AGGREGATE, HEARTBEAT_HEADERS, HEARTBEAT_TYPE } from '@latchkey/contracts';

/** One heartbeat copy, addressed to one partition. */
export interface HeartbeatMessage {
  partition: number;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The transport: how many partitions the token topic has, and a send of one copy per partition. */
export interface HeartbeatTransport {
  partitions(): Promise<number>;
  send(messages: HeartbeatMessage[]): Promise<void>;
}

/**
 * Builds and sends one round of heartbeats (one copy to every partition). A round is skipped while the previous
 * one is still in flight, so a dead broker never piles sends up; failures are reported, never thrown.
 */
export class HeartbeatSender {
  private seq = 0;
  private inFlight = false;
  private lastFailure: string | null = null;

  constructor(
    private readonly source: string,
    private readonly transport: HeartbeatTransport,
    private readonly now: () => number = Date.now,
    private readonly onFailure: (message: string) => void = () => undefined,
  ) {}

  get failing(): string | null {
    return this.lastFailure;
  }

  /** true when a round was sent */
  async tick(): Promise<boolean> {
    if (this.inFlight) return false;
    this.inFlight = true;
    try {
      const partitions = await this.transport.partitions();
      const seq = ++this.seq;
      const sentAt = new Date(this.now()).toISOString();
      const messages: HeartbeatMessage[] = [];
      for (let partition = 0; partition < partitions; partition++) {
        const heartbeat: Heartbeat = {
          type: HEARTBEAT_TYPE,
          aggregateType: HEARTBEAT_AGGREGATE,
          source: this.source,
          sentAt,
          partition,
          partitions,
          seq,
        };
        messages.push({ partition, key: `heartbeat-${partition}`, value: JSON.stringify(heartbeat), headers: { ...HEARTBEAT_HEADERS } });
      }
      await this.transport.send(messages);
      this.lastFailure = null;
      return true;
    } catch (err) {
      this.lastFailure = err instanceof Error ? err.message : String(err);
      this.onFailure(this.lastFailure);
      return false;
    } finally {
      this.inFlight = false;
    }
  }
}
