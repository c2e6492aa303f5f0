import { ConfigError } from '@latchkey/service-kit';
import { loadValidationServiceConfig } from './validation-service.config';

describe('loadValidationServiceConfig', () => {
  it('has working defaults', () => {
    const config = loadValidationServiceConfig({});
    expect(config.PORT).toBe(3002);
    expect(config.LATCHKEY_CLIENTS.get('dev')).toBe('dev-client-secret');
    expect(config.LATCHKEY_REPLICA_ID).toMatch(/^[0-9a-f]{12}$/);
    expect(loadValidationServiceConfig({}).LATCHKEY_REPLICA_ID).not.toBe(config.LATCHKEY_REPLICA_ID);
    expect(config.LATCHKEY_NEGATIVE_CACHE_MS).toBe(2000);
  });

  it('parses several clients', () => {
    const config = loadValidationServiceConfig({ LATCHKEY_CLIENTS: 'nginx:aaaaaaaa1, envoy:bb:bbbbbbb' });
    expect([...config.LATCHKEY_CLIENTS]).toEqual([['nginx', 'aaaaaaaa1'], ['envoy', 'bb:bbbbbbb']]);
  });

  it('names the variable and hides the secret when a client entry is wrong', () => {
    expect(() => loadValidationServiceConfig({ LATCHKEY_CLIENTS: 'nginx:short' })).toThrow(ConfigError);
    expect(() => loadValidationServiceConfig({ LATCHKEY_CLIENTS: 'nginx:short' })).toThrow(/LATCHKEY_CLIENTS/);
    expect(() => loadValidationServiceConfig({ LATCHKEY_CLIENTS: 'nginx:short' })).not.toThrow(/short/);
  });
});
