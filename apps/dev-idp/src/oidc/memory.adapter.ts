/** A stored artifact (session, interaction, grant, code, refresh token...) as oidc-provider hands it over. */
type Payload = Record<string, unknown> & { uid?: string; grantId?: string; userCode?: string; consumed?: number };

interface Entry<T> {
  value: T;
  expiresAt: number;
}

const store = new Map<string, Entry<unknown>>();
let sweeper: NodeJS.Timeout | undefined;

const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/**
 * oidc-provider's storage, in process memory (dev-idp is one process and loses its state on restart by
 * design). Expired entries are dropped when read and by a periodic sweep.
 */
export class MemoryAdapter {
  constructor(private readonly model: string) {
    sweeper ??= setInterval(sweep, 60_000).unref();
  }

  async upsert(id: string, payload: Payload, expiresIn: number): Promise<void> {
    const key = this.key(id);
    if (this.model === 'Session' && payload.uid) set(`sessionUid:${payload.uid}`, id, expiresIn);
    if (GRANTABLE.has(this.model) && payload.grantId) {
      const grantKey = `grant:${payload.grantId}`;
      const keys = get<string[]>(grantKey) ?? [];
      // the list lives as long as its longest-lived artifact
      const expiresAt = Math.max(store.get(grantKey)?.expiresAt ?? 0, Date.now() + expiresIn * 1000);
      store.set(grantKey, { value: [...keys, key], expiresAt });
    }
    if (payload.userCode) set(`userCode:${payload.userCode}`, id, expiresIn);
    set(key, payload, expiresIn);
  }

  async find(id: string): Promise<Payload | undefined> {
    return get<Payload>(this.key(id));
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    const id = get<string>(`sessionUid:${uid}`);
    return id ? this.find(id) : undefined;
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    const id = get<string>(`userCode:${userCode}`);
    return id ? this.find(id) : undefined;
  }

  async consume(id: string): Promise<void> {
    const payload = get<Payload>(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    store.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const grantKey = `grant:${grantId}`;
    for (const key of get<string[]>(grantKey) ?? []) store.delete(key);
    store.delete(grantKey);
  }

  private key(id: string): string {
    return `${this.model}:${id}`;
  }
}

function set(key: string, value: unknown, expiresInSeconds: number): void {
  store.set(key, { value, expiresAt: Date.now() + expiresInSeconds * 1000 });
}

function get<T>(key: string): T | undefined {
  const entry = store.get(key);
  if (!entry) return undefined;
  if (entry.expiresAt <= Date.now()) {
    store.delete(key);
    return undefined;
  }
  return entry.value as T;
}

function sweep(): void {
  const now = Date.now();
  for (const [key, entry] of store) if (entry.expiresAt <= now) store.delete(key);
}
