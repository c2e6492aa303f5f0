/** Kafka topic names: the public contract (docs/api.md). */
export const Topics = {
  token: 'latchkey.token.v1',
  directory: 'latchkey.directory.v1',
  policy: 'latchkey.policy.v1',
  usage: 'latchkey.usage.v1',
  decision: 'latchkey.decision.v1',
  audit: 'latchkey.audit.v1',
  /** every notice sent (or given up on) by notification-service; the audit log records each */
  notification: 'latchkey.notification.v1',
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

/** Keep a week of complete history before compaction may drop superseded records. */
export const STATE_TOPIC_MIN_COMPACTION_LAG_MS = 7 * 24 * 3600 * 1000;

/**
 * Topic settings, applied when a topic is created. The token, directory and policy topics are compacted: each
 * record carries the full resulting state of its key (token, user, group, the policy), and token-topic
 * heartbeats are keyed per partition, so a new replica replays O(keys) records, not every heartbeat ever sent.
 * Consumers reading every event (audit) have a week of complete history before compaction.
 */
export function topicConfig(physicalTopic: string): Array<{ name: string; value: string }> {
  const compacted = [Topics.token, Topics.directory, Topics.policy].some((t) => physicalTopic === t || physicalTopic.endsWith(`.${t}`));
  return compacted
    ? [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'min.compaction.lag.ms', value: String(STATE_TOPIC_MIN_COMPACTION_LAG_MS) },
      ]
    : [];
}
