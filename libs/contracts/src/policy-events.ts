import { EventEnvelope } from './envelope';
import { PolicyRules, PolicyWarning } from './policy';

/** The policy is one aggregate with one stream, published on latchkey.policy.v1 (key = "policy"). */
export const POLICY_AGGREGATE = 'policy';
export const POLICY_STREAM_ID = 'policy';

export const PolicyEventTypes = {
  changed: 'PolicyChanged',
} as const;

/** One changed leaf of the document, with JSON-pointer-like path (e.g. `lifetime.maxDays`, `selfService`). */
export interface PolicyDiffEntry {
  path: string;
  before: unknown;
  after: unknown;
}

/** PolicyChanged: the whole new document (its version = the event's version) and what changed. */
export interface PolicyChangedData {
  rules: PolicyRules;
  diff: PolicyDiffEntry[];
  warnings: PolicyWarning[];
}

export type PolicyChangedEvent = EventEnvelope<typeof PolicyEventTypes.changed, PolicyChangedData>;
