import { EMPTY_POLICY, EventEnvelope, POLICY_AGGREGATE, PolicyDocument, PolicyEventTypes } from '@latchkey/contracts';
import { normalizeStoredRules } from './policy-schema';

/**
 * evolve(document, event): the policy after one event of the policy stream (or topic). PolicyChanged carries
 * the whole document; other or older events change nothing (so redelivery is harmless).
 */
export function evolvePolicy(state: PolicyDocument, event: EventEnvelope): PolicyDocument {
  if (event.aggregateType !== POLICY_AGGREGATE || event.version <= state.version) return state;
  if (event.type === PolicyEventTypes.changed) {
    const rules = (event.data as { rules?: unknown } | null)?.rules;
    if (typeof rules === 'object' && rules !== null && !Array.isArray(rules)) {
      return { version: event.version, rules: normalizeStoredRules(rules) };
    }
  }
  return { ...state, version: event.version };
}

/** The current document from the stream's events, oldest first; EMPTY_POLICY (the defaults) when there are none. */
export function currentPolicy(events: readonly EventEnvelope[]): PolicyDocument {
  return events.reduce(evolvePolicy, EMPTY_POLICY);
}
