import { EMPTY_POLICY, EventEnvelope, SYSTEM_ACTOR } from '@latchkey/contracts';
import { currentPolicy, POLICY_AGGREGATE, POLICY_STREAM_ID } from './policy.state';

const event = (version: number, type: string, data: unknown): EventEnvelope => ({
  eventId: `00000000-0000-7000-8000-00000000000${version}`,
  type,
  aggregateType: POLICY_AGGREGATE,
  aggregateId: POLICY_STREAM_ID,
  version,
  occurredAt: '2025-01-01T00:00:00.000Z',
  actor: SYSTEM_ACTOR,
  data,
});

describe(currentPolicy.name, () => {
  it('is the empty policy, version 0, when nothing is stored', () => {
    expect(currentPolicy([])).toEqual(EMPTY_POLICY);
  });

  it('is the document of the latest PolicyChanged, at the stream version', () => {
    const doc = currentPolicy([
      event(1, 'PolicyChanged', { rules: { maxLifetimeDays: 90 } }),
      event(2, 'PolicyChanged', { rules: { maxLifetimeDays: 30 }, diff: [{ path: 'maxLifetimeDays' }] }),
    ]);
    expect(doc).toEqual({ version: 2, rules: { maxLifetimeDays: 30 } });
  });

  it('keeps the rules but follows the stream version on events it does not know', () => {
    const doc = currentPolicy([event(1, 'PolicyChanged', { rules: { a: 1 } }), event(2, 'PolicyNoted', {})]);
    expect(doc).toEqual({ version: 2, rules: { a: 1 } });
  });

  it('ignores a PolicyChanged without a rules object', () => {
    expect(currentPolicy([event(1, 'PolicyChanged', { rules: [1] })])).toEqual({ version: 1, rules: EMPTY_POLICY.rules });
  });
});
