/** Kafka topic names: the public contract of DESIGN.md §4. */
export const Topics = {
  token: 'latchkey.token.v1',
  directory: 'latchkey.directory.v1',
  policy: 'latchkey.policy.v1',
  usage: 'latchkey.usage.v1',
  decision: 'latchkey.decision.v1',
  audit: 'latchkey.audit.v1',
} as const;

export type TopicKey = keyof typeof Topics;
export type TopicName = (typeof Topics)[TopicKey];

/**
 * The physical topic for a contract topic. A non-empty namespace (LATCHKEY_TOPIC_NAMESPACE) prefixes it,
 * so that test runs and side-by-side deployments sharing one broker stay apart; production leaves it empty.
 */
export function topicName(topic: TopicName, namespace = ''): string {
  return namespace ? `${namespace}.${topic}` : topic;
}
