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
 * A cache miss in one round trip: KEYS[1] = hash key; ARGV[1] = the token-key prefix (same hash tag, so the same
 * slot). Answers [ref] or [ref, state JSON], nothing when the hash is unknown.
 */
const FIND_SCRIPT = `
local ref = redis.call('GET', KEYS[1])
if not ref then return false end
local space = string.find(ref, ' ', 1, true)
if not space then return {ref} end
return {ref, redis.call('HGET', ARGV[1] .. string.sub(ref, 1, space - 1), 's')}
`;
const FIND_SHA = createHash('sha1').update(FIND_SCRIPT).digest('hex');

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
    return parseRef(await this.redis.get(this.hashKey(hmac)));
  }

  async findToken(tokenId: string): Promise<TokenView | null> {
    return parseView(await this.redis.hget(this.tokenKey(tokenId), 's'));
  }

  async findLookup(hmac: string): Promise<TokenLookupResult | null> {
    const keys = [this.hashKey(hmac)];
    const args = [`${this.prefix}tok:`];
    let reply: unknown;
    try {
      reply = await this.redis.evalsha(FIND_SHA, 1, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      reply = await this.redis.eval(FIND_SCRIPT, 1, ...keys, ...args);
    }
    if (!Array.isArray(reply)) return null;
    const ref = parseRef(typeof reply[0] === 'string' ? reply[0] : null);
    const token = ref ? parseView(typeof reply[1] === 'string' ? reply[1] : null) : null;
    return ref && token ? { secretGeneration: ref.secretGeneration, token } : null;
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

function parseRef(raw: string | null): HashRef | null {
  if (!raw) return null;
  const [tokenId, generation] = raw.split(' ');
  const secretGeneration = Number(generation);
  return tokenId && Number.isInteger(secretGeneration) ? { tokenId, secretGeneration } : null;
}

function parseView(raw: string | null): TokenView | null {
  if (!raw) return null;
  const view = JSON.parse(raw) as TokenView;
  return typeof view?.id === 'string' && typeof view.version === 'number' ? view : null;
}
