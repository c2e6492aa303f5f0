import { categoryOfTopic, decodeAuditMessage, DecodeResult } from './audit-message.decoder';
import { REDACTED } from './redact-secrets';

const NS = 'ns1';
const TOKEN_TOPIC = `${NS}.latchkey.token.v1`;

function envelope(over: Record<string, unknown> = {}) {
  return {
    eventId: '0190F5C2-7B1E-7C3A-9D4E-1A2B3C4D5E6F',
    type: 'TokenIssued',
    aggregateType: 'token',
    aggregateId: '0190f5c2-0000-7000-8000-000000000001',
    version: 1,
    occurredAt: '2025-01-02T03:04:05.678Z',
    actor: { userId: 'admin', via: 'oidc', onBehalfOf: 'alice' },
    data: { name: 'ci', ownerId: 'alice', scopes: ['read'], allowedCidrs: [], expiresAt: null, hint: 'lk_…abcd' },
    state: { id: '0190f5c2-0000-7000-8000-000000000001', ownerId: 'alice', scopes: ['read'], status: 'active' },
    ...over,
  };
}

const record = (r: DecodeResult) => {
  if (r.kind !== 'record') throw new Error(`expected a record, got ${JSON.stringify(r)}`);
  return r.record;
};

describe(decodeAuditMessage.name, () => {
  it('reads a notification sent as an entry of the notification category, about the user and token told', () => {
    const sent = envelope({
      type: 'NotificationSent',
      aggregateType: 'notification',
      aggregateId: '0190f5c2-0000-7000-8000-0000000000aa',
      actor: { userId: 'system', via: 'system' },
      data: { deliveryId: '0190f5c2-0000-7000-8000-0000000000aa', kind: 'revoked', channel: 'email', userId: 'alice', tokenId: '0190f5c2-0000-7000-8000-000000000001', recipient: 'alice@example.test', attempts: 1 },
      state: undefined,
    });
    const r = record(decodeAuditMessage(`${NS}.latchkey.notification.v1`, JSON.stringify(sent)));
    expect(r).toMatchObject({ category: 'notification', action: 'NotificationSent', userId: 'alice', tokenId: '0190f5c2-0000-7000-8000-000000000001', actorId: 'system' });
  });

  it('reads a token event as a readable entry: who, on whose behalf, what, which token', () => {
    const r = record(decodeAuditMessage(TOKEN_TOPIC, JSON.stringify(envelope())));
    expect(r).toMatchObject({
      eventId: '0190f5c2-7b1e-7c3a-9d4e-1a2b3c4d5e6f',
      category: 'token',
      action: 'TokenIssued',
      outcome: 'success',
      actorId: 'admin',
      actorVia: 'oidc',
      onBehalfOf: 'alice',
      ownerId: 'alice',
      userId: 'alice',
      tokenId: '0190f5c2-0000-7000-8000-000000000001',
      occurredAt: '2025-01-02T03:04:05.678Z',
    });
  });

  it('keeps the revocation reason', () => {
    const r = record(decodeAuditMessage(TOKEN_TOPIC, JSON.stringify(envelope({ type: 'TokenRevoked', data: { reason: 'leaked' } }))));
    expect(r).toMatchObject({ action: 'TokenRevoked', reason: 'leaked' });
  });

  it('reads directory events generically (user, group, member)', () => {
    const topic = `${NS}.latchkey.directory.v1`;
    const member = record(
      decodeAuditMessage(topic, JSON.stringify(envelope({ type: 'MemberAdded', aggregateType: 'group', aggregateId: 'devs', actor: { userId: 'okta', via: 'scim' }, data: { userId: 'bob' }, state: undefined }))),
    );
    expect(member).toMatchObject({ category: 'directory', action: 'MemberAdded', groupId: 'devs', userId: 'bob', tokenId: null, actorVia: 'scim' });
    const user = record(decodeAuditMessage(topic, JSON.stringify(envelope({ type: 'UserDeactivated', aggregateType: 'user', aggregateId: 'bob', data: {}, state: undefined }))));
    expect(user).toMatchObject({ action: 'UserDeactivated', userId: 'bob', groupId: null });
  });

  it('reads a denial: failure, the code as reason, IP and user agent', () => {
    const denial = {
      type: 'AccessDenied',
      decisionId: '0190f5c2-0000-7000-8000-0000000000d1',
      occurredAt: '2025-01-02T03:04:05.000Z',
      replicaId: 'v1',
      channel: 'nginx',
      code: 'IP_DENIED',
      tokenId: '0190f5c2-0000-7000-8000-000000000001',
      userId: 'alice',
      method: 'GET',
      path: '/rest/api/2/myself',
      ip: '203.0.113.9',
      userAgent: 'curl/8.5',
      droppedBefore: 0,
    };
    const r = record(decodeAuditMessage(`${NS}.latchkey.decision.v1`, JSON.stringify(denial)));
    expect(r).toMatchObject({ category: 'decision', action: 'AccessDenied', outcome: 'failure', reason: 'IP_DENIED', ip: '203.0.113.9', userAgent: 'curl/8.5', tokenId: denial.tokenId, ownerId: 'alice' });
  });

  it('reads a usage summary: last IP and user agent, at the last use', () => {
    const usage = { type: 'TokenUsage', usageId: 'u-1', tokenId: 't-1', userId: 'alice', replicaId: 'v1', count: 7, firstUsedAt: '2025-01-02T03:00:00Z', lastUsedAt: '2025-01-02T03:04:00Z', lastIp: '10.0.0.7', lastUserAgent: 'Zapier' };
    const r = record(decodeAuditMessage(`${NS}.latchkey.usage.v1`, JSON.stringify(usage)));
    expect(r).toMatchObject({ category: 'usage', action: 'TokenUsage', outcome: 'success', ip: '10.0.0.7', userAgent: 'Zapier', occurredAt: '2025-01-02T03:04:00.000Z' });
  });

  it('ignores heartbeats, by header or by body, without rejecting them', () => {
    const hb = JSON.stringify({ type: 'Heartbeat', aggregateType: 'heartbeat', source: 'ts', sentAt: new Date().toISOString(), partition: 0, partitions: 3, seq: 1 });
    expect(decodeAuditMessage(TOKEN_TOPIC, hb)).toEqual({ kind: 'ignored', why: 'heartbeat' });
    expect(decodeAuditMessage(TOKEN_TOPIC, 'whatever', { 'latchkey-event-type': 'Heartbeat' })).toEqual({ kind: 'ignored', why: 'heartbeat' });
  });

  it('redacts anything secret-shaped from the stored payload', () => {
    const secret = `lk_${'A'.repeat(40)}abcdef`;
    const hmac = 'ab'.repeat(32);
    const r = record(decodeAuditMessage(TOKEN_TOPIC, JSON.stringify(envelope({ data: { note: `found ${secret}`, secretHash: 'x', digest: hmac } }))));
    const text = JSON.stringify(r.payload);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(hmac);
    expect(r.payload).toMatchObject({ data: { note: `found ${REDACTED}`, secretHash: REDACTED, digest: REDACTED } });
  });

  it('keeps a "__proto__" member of a payload as data, never as the prototype', () => {
    const r = record(decodeAuditMessage(TOKEN_TOPIC, JSON.stringify(envelope({})).replace('{', '{"__proto__":{"polluted":true},')));
    expect(Object.getPrototypeOf(r.payload)).toBe(Object.prototype);
    expect(Object.keys(r.payload)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['an empty message', ''],
    ['invalid JSON', '{"a":'],
  ])('rejects %s as not_json', (_what, value) => {
    expect(decodeAuditMessage(TOKEN_TOPIC, value)).toMatchObject({ kind: 'rejected', reason: 'not_json' });
  });

  it.each([
    ['a JSON number', '42'],
    ['an object without envelope fields', '{"hello":"world"}'],
    ['an envelope without actor', JSON.stringify({ ...envelope(), actor: undefined })],
    ['an envelope with version 0', JSON.stringify(envelope({ version: 0 }))],
  ])('rejects %s as not_envelope', (_what, value) => {
    expect(decodeAuditMessage(TOKEN_TOPIC, value)).toMatchObject({ kind: 'rejected', reason: 'not_envelope' });
  });

  it.each([
    ['an event id with spaces', envelope({ eventId: 'evt 1' })],
    ['a version beyond int4', envelope({ version: 2 ** 31 })],
    ['an occurredAt that is not a date', envelope({ occurredAt: 'yesterday' })],
    ['a NUL character in the data', envelope({ data: { name: 'a\u0000b' } })],
    ['a denial without ip', { type: 'AccessDenied', decisionId: 'd1', occurredAt: '2025-01-01T00:00:00Z', code: 'REVOKED' }],
  ])('rejects %s as invalid_field', (_what, e) => {
    expect(decodeAuditMessage(TOKEN_TOPIC, JSON.stringify(e))).toMatchObject({ kind: 'rejected', reason: 'invalid_field' });
  });
});

describe(categoryOfTopic.name, () => {
  it('strips the namespace', () => {
    expect(categoryOfTopic('latchkey.policy.v1')).toBe('policy');
    expect(categoryOfTopic('e2e_x.latchkey.usage.v1')).toBe('usage');
    expect(categoryOfTopic('something.else')).toBe('other');
  });
});
