import { Notice } from '../../notices/domain/notice';
import { digestChannels, selectChannels, WebhookEndpoint } from './channel-selection';

const notice: Notice = { key: 'revoked:e1', kind: 'revoked', userId: 'alice', token: null, occurredAt: '2026-01-01T00:00:00Z', sourceEventId: 'e1' };
const alice = { id: 'u-1', userName: 'alice', email: 'alice@example.test', active: true };
const endpoint = (over: Partial<WebhookEndpoint>): WebhookEndpoint => ({ id: 'w', ownerId: 'alice', url: 'https://x', format: 'standard', kinds: [], active: true, ...over });

describe(selectChannels.name, () => {
  it('e-mails the owner and calls their own webhooks and the admins\' all-users ones', () => {
    const plans = selectChannels(notice, alice, [], [], [endpoint({ id: 'own' }), endpoint({ id: 'bob', ownerId: 'bob' }), endpoint({ id: 'soc', ownerId: null })]);
    expect(plans.map((p) => p.recipient)).toEqual(['alice@example.test', 'own', 'soc']);
  });

  it('matches an endpoint registered under the directory id', () => {
    expect(selectChannels(notice, alice, [], [], [endpoint({ id: 'by-id', ownerId: 'u-1' })]).map((p) => p.recipient)).toContain('by-id');
  });

  it('leaves out what the user turned off, unless an admin made it mandatory', () => {
    const off = [{ kind: 'revoked' as const, channel: 'email' as const, enabled: false }];
    expect(selectChannels(notice, alice, off, [], []).length).toBe(0);
    expect(selectChannels(notice, alice, off, [{ kind: 'revoked', channel: 'email' }], []).length).toBe(1);
  });

  it('e-mails nobody who is deactivated, unknown or without an address, and skips endpoints for other kinds', () => {
    expect(selectChannels(notice, { ...alice, active: false }, [], [], [])).toEqual([]);
    expect(selectChannels(notice, null, [], [], [])).toEqual([]);
    expect(selectChannels(notice, { ...alice, email: null }, [], [], [])).toEqual([]);
    expect(selectChannels(notice, alice, [], [], [endpoint({ kinds: ['expired'] })]).map((p) => p.channel)).toEqual(['email']);
  });
});

describe(digestChannels.name, () => {
  it('goes to each admin address once and to all-users endpoints that asked for it', () => {
    const plans = digestChannels(['A@x.test', 'a@x.test', 'b@x.test'], [endpoint({ id: 'soc', ownerId: null, kinds: ['admin-digest'] }), endpoint({ id: 'all', ownerId: null })]);
    expect(plans.map((p) => p.recipient)).toEqual(['a@x.test', 'b@x.test', 'soc']);
  });
});
