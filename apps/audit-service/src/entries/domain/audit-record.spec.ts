import { appendToChain, GENESIS_HASH } from '../../chain/domain/hash-chain';
import { AuditEntry, AuditRecord, chainContentOf, detailOf, summaryOf } from './audit-record';

const record: AuditRecord = {
  eventId: 'e', topic: 't', type: 'TokenIssued', category: 'token', action: 'TokenIssued', outcome: 'success', reason: null,
  aggregateType: 'token', aggregateId: 'a', version: 1, occurredAt: '2025-01-01T00:00:00.000Z', actorId: 'u', actorVia: 'oidc',
  actorTokenId: null, onBehalfOf: null, ownerId: 'u', tokenId: 'a', userId: 'u', groupId: null, ip: '10.0.0.1', userAgent: null,
  payload: { x: 1 },
};

describe('audit record chain content', () => {
  it('reads back from a stored entry exactly what was hashed at append', () => {
    const [link] = appendToChain({ seq: 0, hash: GENESIS_HASH }, [chainContentOf(record)]).links;
    const stored: AuditEntry = { ...record, ...link, recordedAt: '2025-01-01T00:00:01.000Z', erasedAt: null };
    expect(summaryOf(stored)).toEqual(chainContentOf(record).summary);
    expect(detailOf(stored)).toEqual(chainContentOf(record).detail);
    expect(detailOf({ ...stored, erasedAt: '2026-01-01T00:00:00.000Z', payload: null, ip: null })).toBeNull();
  });
});
