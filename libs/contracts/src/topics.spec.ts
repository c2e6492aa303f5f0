import { Topics, topicConfig, topicName } from './topics';

describe(topicConfig.name, () => {
  it('compacts the state topics, namespaced or not', () => {
    for (const t of [Topics.token, Topics.directory, Topics.policy]) {
      expect(topicConfig(t)).toContainEqual({ name: 'cleanup.policy', value: 'compact' });
      expect(topicConfig(topicName(t, 'e2e_x'))).toContainEqual({ name: 'cleanup.policy', value: 'compact' });
    }
  });
  it('leaves the streams alone', () => {
    for (const t of [Topics.usage, Topics.decision, Topics.audit]) expect(topicConfig(t)).toEqual([]);
  });
});
