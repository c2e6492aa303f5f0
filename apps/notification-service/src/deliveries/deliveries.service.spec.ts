import { DeliveryRepository } from '../delivery/delivery.repository';
import { Delivery } from '../delivery/delivery.types';
import { DeliveryWakeup } from '../delivery/delivery-wakeup';
import { decodeCursor, DeliveriesService, encodeCursor } from './deliveries.service';

const row = (id: string, status: Delivery['status']): Delivery => ({
  id,
  dedupeKey: 'k',
  noticeKey: 'n',
  kind: 'revoked',
  channel: 'webhook',
  userId: 'alice',
  tokenId: null,
  recipient: 'w',
  endpointId: 'w',
  content: { channel: 'webhook', format: 'standard', url: 'https://x', body: '{}' },
  sourceEventId: 'e',
  status,
  attempts: 4,
  nextAttemptAt: '2026-01-01T00:00:00.000Z',
  lastError: 'HTTP 500',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  sentAt: null,
});

function setup(rows: Delivery[]) {
  const replayed: string[] = [];
  const repo = {
    list: async () => rows,
    get: async (id: string) => rows.find((r) => r.id === id) ?? null,
    attempts: async () => [],
    replay: async (id: string) => rows.some((r) => r.id === id && r.status === 'dead') && (replayed.push(id), true),
  } as unknown as DeliveryRepository;
  const wakeup = new DeliveryWakeup();
  let woken = 0;
  wakeup.on(() => woken++);
  return { service: new DeliveriesService(repo, wakeup), replayed, woken: () => woken };
}

const ID = '0190a0e4-0000-7000-8000-00000000000a';

describe(DeliveriesService.name, () => {
  it('lists without the rendered content, with a cursor when the page is full', async () => {
    const { service } = setup([row(ID, 'dead')]);
    const page = await service.list({ limit: 1 });
    expect(page.items[0]).not.toHaveProperty('content');
    expect(decodeCursor(page.nextCursor!)).toEqual({ createdAt: '2026-01-01T00:00:00.000Z', id: ID });
  });

  it('replays a dead letter and wakes the dispatcher; anything else is a conflict', async () => {
    const { service, replayed, woken } = setup([row(ID, 'dead'), row('0190a0e4-0000-7000-8000-00000000000b', 'sent')]);
    await service.replay(ID);
    expect(replayed).toEqual([ID]);
    expect(woken()).toBe(1);
    await expect(service.replay('0190a0e4-0000-7000-8000-00000000000b')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(service.replay('0190a0e4-0000-7000-8000-00000000000c')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rejects a cursor it did not hand out', () => {
    expect(() => decodeCursor('garbage')).toThrow(/cursor/);
    expect(decodeCursor(encodeCursor({ createdAt: '2026-01-01T00:00:00.000Z', id: ID })).id).toBe(ID);
  });
});
