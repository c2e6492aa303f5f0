import { IncomingMessage } from '../event-subscriber.port';
import { InMemoryEventBus } from './in-memory-event-bus';

describe(InMemoryEventBus.name, () => {
  it('delivers published messages to the subscribers of their topic, in order', async () => {
    const bus = new InMemoryEventBus();
    const got: IncomingMessage[] = [];
    bus.subscribe('t', async (m) => {
      got.push(m);
    });
    await bus.publish([
      { topic: 't', key: 'a', value: '1', headers: { h: 'x' } },
      { topic: 'other', key: 'a', value: 'ignored' },
      { topic: 't', key: 'b', value: '2' },
    ]);
    expect(got.map((m) => [m.key, m.value, m.offset])).toEqual([
      ['a', '1', '0'],
      ['b', '2', '1'],
    ]);
    expect(got[0].headers).toEqual({ h: 'x' });
    expect(bus.messagesOn('other')).toHaveLength(1);
  });

  it('stops delivering after unsubscribe', async () => {
    const bus = new InMemoryEventBus();
    const handler = jest.fn(async () => undefined);
    const unsubscribe = bus.subscribe('t', handler);
    unsubscribe();
    await bus.publish([{ topic: 't', key: 'a', value: '1' }]);
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects publishing while told to fail, and keeps handler errors for assertions', async () => {
    const bus = new InMemoryEventBus();
    bus.subscribe('t', async () => {
      throw new Error('boom');
    });
    bus.failWith(new Error('broker down'));
    await expect(bus.publish([{ topic: 't', key: 'a', value: '1' }])).rejects.toThrow('broker down');
    expect(bus.published).toHaveLength(0);
    bus.failWith(null);
    await bus.publish([{ topic: 't', key: 'a', value: '1' }]);
    expect(bus.handlerErrors).toHaveLength(1);
  });
});
