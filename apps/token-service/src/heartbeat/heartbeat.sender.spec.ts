import { isHeartbeat, isHeartbeatMessage } from '@latchkey/contracts';
import { HeartbeatMessage, HeartbeatSender, HeartbeatTransport } from './heartbeat.sender';

class FakeTransport implements HeartbeatTransport {
  sent: HeartbeatMessage[][] = [];
  count = 3;
  fail: Error | null = null;
  hold: Promise<void> | null = null;
  async partitions(): Promise<number> {
    return this.count;
  }
  async send(messages: HeartbeatMessage[]): Promise<void> {
    if (this.hold) await this.hold;
    if (this.fail) throw this.fail;
    this.sent.push(messages);
  }
}

describe(HeartbeatSender.name, () => {
  it('sends one heartbeat to every partition, marked by header', async () => {
    const transport = new FakeTransport();
    const sender = new HeartbeatSender('ts-1', transport, () => Date.parse('2030-01-01T00:00:00Z'));
    expect(await sender.tick()).toBe(true);
    const [round] = transport.sent;
    expect(round.map((m) => m.partition)).toEqual([0, 1, 2]);
    for (const m of round) {
      const value: unknown = JSON.parse(m.value);
      expect(isHeartbeat(value)).toBe(true);
      expect(isHeartbeatMessage(m.headers)).toBe(true);
      expect(value).toMatchObject({ type: 'Heartbeat', aggregateType: 'heartbeat', sentAt: '2030-01-01T00:00:00.000Z', partitions: 3, seq: 1, source: 'ts-1' });
    }
  });

  it('reports a failed round and keeps going', async () => {
    const transport = new FakeTransport();
    const failures: string[] = [];
    const sender = new HeartbeatSender('ts-1', transport, Date.now, (m) => failures.push(m));
    transport.fail = new Error('broker down');
    expect(await sender.tick()).toBe(false);
    expect(sender.failing).toBe('broker down');
    transport.fail = null;
    expect(await sender.tick()).toBe(true);
    expect(sender.failing).toBeNull();
    expect(failures).toEqual(['broker down']);
  });

  it('skips a round while the previous one is in flight', async () => {
    const transport = new FakeTransport();
    let release: () => void = () => undefined;
    transport.hold = new Promise<void>((r) => (release = r));
    const sender = new HeartbeatSender('ts-1', transport);
    const first = sender.tick();
    expect(await sender.tick()).toBe(false);
    release();
    expect(await first).toBe(true);
    expect(transport.sent).toHaveLength(1);
  });
});
