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

describe('loadValidationServiceConfig: staleness and proxies', () => {
  it('defaults to a 5 s bound, verify mode and loopback proxies', () => {
    const config = loadValidationServiceConfig({});
    expect(config.LATCHKEY_MAX_STALENESS_MS).toBe(5000);
    expect(config.LATCHKEY_STALE_MODE).toBe('verify');
    expect(config.LATCHKEY_TRUSTED_PROXIES).toEqual(['127.0.0.1/32', '::1/128']);
  });

  it('accepts deny mode and an empty proxy list, and names a bad range', () => {
    const config = loadValidationServiceConfig({ LATCHKEY_STALE_MODE: 'deny', LATCHKEY_TRUSTED_PROXIES: '' });
    expect(config.LATCHKEY_STALE_MODE).toBe('deny');
    expect(config.LATCHKEY_TRUSTED_PROXIES).toEqual([]);
    expect(() => loadValidationServiceConfig({ LATCHKEY_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/LATCHKEY_TRUSTED_PROXIES/);
    expect(() => loadValidationServiceConfig({ LATCHKEY_STALE_MODE: 'maybe' })).toThrow(/LATCHKEY_STALE_MODE/);
  });
});
