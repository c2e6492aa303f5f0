import { AuditEntry } from '../../entries/domain/audit-record';
import { toEcsRecord } from './ecs-record';

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  seq: 7,
  eventId: 'e-1',
  topic: 'ns.latchkey.token.v1',
  type: 'TokenIssued',
  category: 'token',
  action: 'TokenIssued',
  outcome: 'success',
  reason: null,
  aggregateType: 'token',
  aggregateId: 't-1',
  version: 1,
  occurredAt: '2025-01-01T00:00:00.000Z',
  recordedAt: '2025-01-01T00:00:00.100Z',
  actorId: 'admin',
  actorVia: 'oidc',
  actorTokenId: null,
  onBehalfOf: 'alice',
  ownerId: 'alice',
  tokenId: 't-1',
  userId: 'alice',
  groupId: null,
  ip: '2001:db8::7',
  userAgent: 'curl/8',
  payload: { state: { name: 'ci', scopes: ['read'], status: 'active', expiresAt: null } },
  prevHash: 'p'.repeat(64),
  hash: 'h'.repeat(64),
  detailHash: 'd',
  contentHash: 'c',
  erasedAt: null,
  ...over,
});

describe(toEcsRecord.name, () => {
  it('maps an entry to ECS: timestamp, event, user, target, source, user agent, token and chain', () => {
    expect(toEcsRecord(entry())).toMatchObject({
      '@timestamp': '2025-01-01T00:00:00.000Z',
      ecs: { version: expect.any(String) },
      event: { id: 'e-1', kind: 'event', action: 'TokenIssued', category: ['iam'], type: ['creation'], outcome: 'success', provider: 'latchkey.token.v1', sequence: 7 },
      user: { name: 'admin', id: 'admin', target: { name: 'alice' } },
      source: { ip: '2001:db8::7', address: '2001:db8::7' },
      user_agent: { original: 'curl/8' },
      related: { user: ['admin', 'alice'], ip: ['2001:db8::7'] },
      latchkey: {
        actor: { id: 'admin', via: 'oidc', on_behalf_of: 'alice' },
        token: { id: 't-1', owner: 'alice', name: 'ci', scopes: ['read'], status: 'active', expires_at: null },
        chain: { seq: 7, hash: 'h'.repeat(64), prev_hash: 'p'.repeat(64) },
      },
    });
  });

  it('marks a denial as a failed authentication with its reason, and keeps a non-IP address out of source.ip', () => {
    const r = toEcsRecord(entry({ action: 'AccessDenied', type: 'AccessDenied', category: 'decision', outcome: 'failure', reason: 'REVOKED', ip: 'unknown', payload: {} }));
    expect(r.event).toMatchObject({ category: ['authentication'], outcome: 'failure', reason: 'REVOKED' });
    expect(r.source).toEqual({ address: 'unknown' });
    expect(r.related.ip).toBeUndefined();
  });

  it('omits what is unknown rather than sending nulls', () => {
    const r = toEcsRecord(entry({ actorId: null, actorVia: null, onBehalfOf: null, ip: null, userAgent: null, tokenId: null }));
    expect(r.user).toBeUndefined();
    expect(r.source).toBeUndefined();
    expect(r.user_agent).toBeUndefined();
    expect(r.latchkey.token).toBeUndefined();
  });
});
