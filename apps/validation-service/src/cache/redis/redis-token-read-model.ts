import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { TokenLookupResult, TokenView } from '@latchkey/contracts';
import type { HashRef, TokenReadModel } from '../token-read-model.port';

/**
 * Writes a token state only when the stored version is lower (or absent), so replicas applying the same events,
 * late events and slow source lookups all converge on the newest state. KEYS[1] = token key, KEYS[2] = optional
 * hash key; ARGV = version, state JSON, hash ref.
 */
const SAVE_SCRIPT = `
if KEYS[2] then redis.call('SET', KEYS[2], ARGV[3]) end
local current = redis.call('HGET', KEYS[1], 'v')
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 's', ARGV[2])
return 1
`;
const SAVE_SHA = createHash('sha1').update(SAVE_SCRIPT).digest('hex');

/**
 * Redis driver of TokenReadModel. Keys: `lk:vs:{<ns>}:hash:<hmac>` -> "<tokenId> <generation>",
 * `lk:vs:{<ns>}:tok:<tokenId>` -> hash { v: version, s: TokenView JSON }. The braces are a cluster hash tag, so
 * the script's keys share a slot. No TTL: the version guard must outlive every replay of the topic.
 */
export class RedisTokenReadModel implements TokenReadModel {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    namespace: string,
  ) {
    this.prefix = `lk:vs:{${namespace || 'default'}}:`;
  }

  hashKey(hmac: string): string {
    return `${this.prefix}hash:${hmac}`;
  }

  tokenKey(tokenId: string): string {
    return `${this.prefix}tok:${tokenId}`;
  }

  async findByHash(hmac: string): Promise<HashRef | null> {
    const raw = await this.redis.get(this.hashKey(hmac));
    if (!raw) return null;
    const [tokenId, generation] = raw.split(' ');
    const secretGeneration = Number(generation);
    return tokenId && Number.isInteger(secretGeneration) ? { tokenId, secretGeneration } : null;
  }

  async findToken(tokenId: string): Promise<TokenView | null> {
    const raw = await this.redis.hget(this.tokenKey(tokenId), 's');
    if (!raw) return null;
    const view = JSON.parse(raw) as TokenView;
    return typeof view?.id === 'string' && typeof view.version === 'number' ? view : null;
  }

  async saveLookup(hmac: string, result: TokenLookupResult): Promise<void> {
    await this.save(result.token, hmac, `${result.token.id} ${result.secretGeneration}`);
  }

  async saveToken(view: TokenView): Promise<boolean> {
    return this.save(view);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  private async save(view: TokenView, hmac?: string, ref?: string): Promise<boolean> {
    const keys = hmac ? [this.tokenKey(view.id), this.hashKey(hmac)] : [this.tokenKey(view.id)];
    const args = [String(view.version), JSON.stringify(view), ref ?? ''];
    let written: unknown;
    try {
      written = await this.redis.evalsha(SAVE_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      written = await this.redis.eval(SAVE_SCRIPT, keys.length, ...keys, ...args);
    }
    return written === 1;
  }
}
