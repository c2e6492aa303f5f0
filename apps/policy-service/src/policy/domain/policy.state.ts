import { EMPTY_POLICY, EventEnvelope, PolicyDocument } from '@latchkey/contracts';

/** The policy is one aggregate with one stream. */
export const POLICY_AGGREGATE = 'policy';
export const POLICY_STREAM_ID = 'policy';

export const PolicyEventTypes = {
  changed: 'PolicyChanged',
} as const;

/** PolicyChanged carries the whole new document (DESIGN.md §4); its version is the event's. */
export interface PolicyChangedData {
  rules: PolicyDocument['rules'];
  /** what changed against the previous document, for people and the audit log */
  diff?: unknown;
}

function isPolicyChangedData(data: unknown): data is PolicyChangedData {
  const rules = (data as { rules?: unknown } | null)?.rules;
  return typeof rules === 'object' && rules !== null && !Array.isArray(rules);
}

/** evolve(state, event): the document after one event of the policy stream. Unknown events change nothing. */
export function evolvePolicy(state: PolicyDocument, event: EventEnvelope): PolicyDocument {
  if (event.type === PolicyEventTypes.changed && isPolicyChangedData(event.data)) {
    return { version: event.version, rules: event.data.rules };
  }
  return { ...state, version: event.version };
}

/** The current document from the stream's events, oldest first; EMPTY_POLICY when there are none. */
export function currentPolicy(events: readonly EventEnvelope[]): PolicyDocument {
  return events.reduce(evolvePolicy, EMPTY_POLICY);
}
