import { Webhook } from 'standardwebhooks';
import { NotificationServiceConfig } from '../config/notification-service.config';
import { WebhookEndpointRepository } from '../webhooks/webhook-endpoint.repository';
import { newWebhookSecret } from './domain/standard-webhooks';
import { AttemptRecord, DeliveryRepository } from './delivery.repository';
import { DeliveryService } from './delivery.service';
import { Delivery } from './delivery.types';
import { MailSender, OutgoingMail } from './email/mail-sender.port';
import { OutgoingWebhook, WebhookSender } from './webhook/webhook-sender.port';

const config = { LATCHKEY_NOTIFY_MAX_ATTEMPTS: 3, LATCHKEY_NOTIFY_RETRY_BASE_MS: 1000, LATCHKEY_NOTIFY_RETRY_MAX_MS: 60_000 } as NotificationServiceConfig;

const delivery = (over: Partial<Delivery>): Delivery => ({
  id: '0190a0e4-0000-7000-8000-00000000000a',
  dedupeKey: 'k',
  noticeKey: 'revoked:e1',
  kind: 'revoked',
  channel: 'email',
  userId: 'alice',
  tokenId: null,
  recipient: 'alice@example.test',
  endpointId: null,
  content: { channel: 'email', subject: 's', text: 't', html: '<p>t</p>' },
  sourceEventId: 'e1',
  status: 'sending',
  attempts: 1,
  nextAttemptAt: '',
  lastError: null,
  createdAt: '',
  updatedAt: '',
  sentAt: null,
  ...over,
});

function setup(mailOk = true, webhookStatus = 204) {
  const recorded: AttemptRecord[] = [];
  const mails: OutgoingMail[] = [];
  const hooks: OutgoingWebhook[] = [];
  const secret = newWebhookSecret();
  const repo = { record: async (_d: Delivery, r: AttemptRecord) => void recorded.push(r) } as unknown as DeliveryRepository;
  const endpoints = { secretOf: async (id: string) => (id === 'gone' ? null : secret) } as unknown as WebhookEndpointRepository;
  const mail: MailSender = { send: async (m) => (mails.push(m), mailOk ? { ok: true, detail: '250' } : { ok: false, detail: 'smtp: 451' }), close: async () => undefined };
  const webhook: WebhookSender = { post: async (h) => (hooks.push(h), webhookStatus < 300 ? { ok: true, detail: `HTTP ${webhookStatus}` } : { ok: false, detail: `HTTP ${webhookStatus}` }) };
  const service = new DeliveryService(repo, endpoints, mail, webhook, config, () => 0);
  return { service, recorded, mails, hooks, secret };
}

describe(DeliveryService.name, () => {
  it('sends an e-mail with a Message-ID of the delivery and records it sent', async () => {
    const { service, recorded, mails } = setup();
    expect(await service.attempt(delivery({}))).toBe('sent');
    expect(mails[0]).toMatchObject({ to: 'alice@example.test', messageId: '<0190a0e4-0000-7000-8000-00000000000a@latchkey.notifications>' });
    expect(recorded[0]).toMatchObject({ status: 'sent', attempt: { attempt: 1, ok: true } });
  });

  it('signs a webhook with the endpoint secret and the delivery id as webhook-id', async () => {
    const { service, hooks, secret } = setup();
    const body = '{"type":"token.revoked"}';
    await service.attempt(delivery({ channel: 'webhook', endpointId: 'w1', recipient: 'w1', content: { channel: 'webhook', format: 'standard', url: 'https://x', body } }));
    expect(hooks[0].headers['webhook-id']).toBe('0190a0e4-0000-7000-8000-00000000000a');
    expect(new Webhook(secret).verify(body, hooks[0].headers)).toEqual({ type: 'token.revoked' });
  });

  it('schedules a retry after a failure and dead-letters the last attempt', async () => {
    const { service, recorded } = setup(false);
    expect(await service.attempt(delivery({ attempts: 1 }))).toBe('pending');
    expect(recorded[0]).toMatchObject({ status: 'pending', retryInMs: 750, attempt: { ok: false, detail: 'smtp: 451' } });
    expect(await service.attempt(delivery({ attempts: 3 }))).toBe('dead');
  });

  it('fails a webhook whose endpoint is gone', async () => {
    const { service, recorded, hooks } = setup();
    await service.attempt(delivery({ channel: 'webhook', endpointId: 'gone', content: { channel: 'webhook', format: 'standard', url: 'https://x', body: '{}' } }));
    expect(hooks).toHaveLength(0);
    expect(recorded[0]).toMatchObject({ status: 'pending', attempt: { detail: 'the webhook endpoint no longer exists' } });
  });
});
