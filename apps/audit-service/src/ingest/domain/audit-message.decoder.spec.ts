import { decodeAuditMessage } from './audit-message.decoder';

const TOPIC = 'latchkey.token.v1';
const envelope = (over: Record<string, unknown> = {}) => ({
  eventId: '0190f5c2-7b1e-7c3a-9d4e-1a2b3c4d5e6f',
  type: 'TokenIssued',
  aggregateType: 'token',
  aggregateId: '0190f5c2-7b1e-7c3a-9d4e-aaaaaaaaaaaa',
  version: 1,
  occurredAt: '2025-01-02T03:04:05.678Z',
  actor: { userId: 'alice', via: 'oidc' },
  data: { name: 'ci' },
  state: { id: '0190f5c2-7b1e-7c3a-9d4e-aaaaaaaaaaaa', status: 'active' },
  ...over,
});

describe(decodeAuditMessage.name, () => {
  it('turns an event envelope into an entry that keeps the whole envelope as payload', () => {
    const e = envelope();
    const result = decodeAuditMessage(TOPIC, JSON.stringify(e));
    expect(result).toEqual({
      ok: true,
      entry: {
        eventId: e.eventId,
        topic: TOPIC,
        type: 'TokenIssued',
        aggregateType: 'token',
        aggregateId: e.aggregateId,
        version: 1,
        actor: { userId: 'alice', via: 'oidc' },
        occurredAt: '2025-01-02T03:04:05.678Z',
        payload: e,
      },
    });
  });

  it('normalises the event id to lower case and the time to ISO UTC', () => {
    const result = decodeAuditMessage(
      TOPIC,
      JSON.stringify(envelope({ eventId: '0190F5C2-7B1E-7C3A-9D4E-1A2B3C4D5E6F', occurredAt: '2025-01-02T04:04:05.678+01:00' })),
    );
    expect(result.ok && result.entry.eventId).toBe('0190f5c2-7b1e-7c3a-9d4e-1a2b3c4d5e6f');
    expect(result.ok && result.entry.occurredAt).toBe('2025-01-02T03:04:05.678Z');
  });

  it.each([
    ['an empty message', ''],
    ['plain text', 'hello'],
    ['truncated JSON', '{"eventId":'],
  ])('rejects %s as not_json', (_what, value) => {
    expect(decodeAuditMessage(TOPIC, value)).toMatchObject({ ok: false, reason: 'not_json' });
  });

  it.each([
    ['a JSON number', '42'],
    ['null', 'null'],
    ['an array', '[1,2]'],
    ['an object without envelope fields', '{"hello":"world"}'],
    ['an envelope without actor', JSON.stringify({ ...envelope(), actor: undefined })],
    ['an envelope with version 0', JSON.stringify(envelope({ version: 0 }))],
    ['an envelope with a fractional version', JSON.stringify(envelope({ version: 1.5 }))],
  ])('rejects %s as not_envelope', (_what, value) => {
    expect(decodeAuditMessage(TOPIC, value)).toMatchObject({ ok: false, reason: 'not_envelope' });
  });

  it.each([
    ['an event id that is not a UUID', envelope({ eventId: 'evt-1' })],
    ['a version beyond int4', envelope({ version: 2 ** 31 })],
    ['an occurredAt that is not a date', envelope({ occurredAt: 'yesterday' })],
    ['a NUL character in the data', envelope({ data: { name: 'a\u0000b' } })],
    ['a NUL character in a key', envelope({ data: { 'a\u0000': 1 } })],
  ])('rejects %s as invalid_field', (_what, e) => {
    expect(decodeAuditMessage(TOPIC, JSON.stringify(e))).toMatchObject({ ok: false, reason: 'invalid_field' });
  });
});
