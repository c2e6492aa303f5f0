import { NotificationServiceConfig } from '../config/notification-service.config';
import { SqlTransaction } from '../database/sql';
import { DeliveryRepository } from '../delivery/delivery.repository';
import { NewDelivery } from '../delivery/delivery.types';
import { PreferencesRepository } from '../preferences/preferences.repository';
import { ViewRepository } from '../view/view.repository';
import { WebhookEndpointRepository } from '../webhooks/webhook-endpoint.repository';
import { Notice } from './domain/notice';
import { NoticeFanoutService } from './notice-fanout.service';

const tx: SqlTransaction = { query: async () => [] };

function setup() {
  const queued: NewDelivery[] = [];
  const view = {
    recipients: async (ids: string[]) => new Map(ids.filter((i) => i === 'alice').map((i) => [i, { id: 'u-1', userName: 'alice', email: 'alice@example.test', active: true }])),
    groupEmails: async () => ['root@example.test'],
  } as unknown as ViewRepository;
  const prefs = {
    forUsers: async () => new Map([['u-1', [{ kind: 'expired', channel: 'email', enabled: false }]]]),
    mandatory: async () => [],
  } as unknown as PreferencesRepository;
  const endpoints = { active: async () => [{ id: 'w1', ownerId: 'alice', url: 'https://hooks.test/a', format: 'slack', kinds: [], active: true }] } as unknown as WebhookEndpointRepository;
  const deliveries = { enqueue: async (_tx: SqlTransaction, rows: NewDelivery[]) => (queued.push(...rows), rows.length) } as unknown as DeliveryRepository;
  const config = { LATCHKEY_NOTIFY_ADMIN_EMAILS: ['soc@example.test'], LATCHKEY_ADMIN_GROUP: 'latchkey-admins' } as unknown as NotificationServiceConfig;
  return { service: new NoticeFanoutService(view, prefs, endpoints, deliveries, config), queued };
}

const notice = (kind: Notice['kind']): Notice => ({
  key: `${kind}:e1`,
  kind,
  userId: 'alice',
  token: { id: 't1', name: 'ci', hint: 'lk_...abcd', expiresAt: null },
  occurredAt: '2026-01-01T00:00:00.000Z',
  sourceEventId: 'e1',
});

describe(NoticeFanoutService.name, () => {
  it('queues an e-mail with rendered content and a webhook with its shaped body, keyed for deduplication', async () => {
    const { service, queued } = setup();
    expect(await service.fanOut(tx, [notice('revoked')])).toBe(2);
    expect(queued[0]).toMatchObject({ channel: 'email', recipient: 'alice@example.test', dedupeKey: 'revoked:e1:email:alice@example.test', content: { subject: expect.stringContaining('"ci"') } });
    expect(queued[1]).toMatchObject({ channel: 'webhook', endpointId: 'w1', content: { format: 'slack', url: 'https://hooks.test/a' } });
    expect(JSON.parse((queued[1].content as { body: string }).body)).toHaveProperty('text');
  });

  it('applies preferences stored under the directory id', async () => {
    const { service, queued } = setup();
    await service.fanOut(tx, [notice('expired')]);
    expect(queued.map((q) => q.channel)).toEqual(['webhook']);
  });

  it('sends the digest to configured addresses and the admin group', async () => {
    const { service, queued } = setup();
    await service.fanOut(tx, [{ ...notice('admin-digest'), userId: null, token: null }]);
    expect(queued.map((q) => q.recipient)).toEqual(['soc@example.test', 'root@example.test']);
  });
});
