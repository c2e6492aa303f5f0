import { Principal } from '@latchkey/auth';
import { StoredEndpoint, WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhooksService } from './webhooks.service';

const alice: Principal = { userId: 'alice', via: 'oidc', scopes: ['read', 'write'], groups: [], isAdmin: false };
const admin: Principal = { ...alice, userId: 'root', isAdmin: true, scopes: ['read', 'write', 'admin'] };

function setup() {
  const rows: Array<StoredEndpoint & { secret: string }> = [];
  const repo = {
    insert: async (e: StoredEndpoint & { secret: string }) => (rows.push({ ...e, createdAt: 'now' }), { ...e, createdAt: 'now' }),
    get: async (id: string) => rows.find((r) => r.id === id) ?? null,
    deactivate: async (id: string) => rows.some((r) => r.id === id && ((r.active = false), true)),
    list: async (owners: string[] | null) => rows.filter((r) => owners === null || owners.includes(r.ownerId ?? '')),
  } as unknown as WebhookEndpointRepository;
  return { service: new WebhooksService(repo), rows };
}

describe(WebhooksService.name, () => {
  it('registers a user\'s endpoint for their own notices with a fresh whsec_ secret', async () => {
    const { service } = setup();
    const { endpoint, secret } = await service.create(alice, { url: 'https://hooks.example.test/a' });
    expect(endpoint).toMatchObject({ ownerId: 'alice', format: 'standard', kinds: [] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
  });

  it('lets only administrators receive every user\'s notices or the digest', async () => {
    const { service } = setup();
    await expect(service.create(alice, { url: 'https://x.test', allUsers: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service.create(alice, { url: 'https://x.test', kinds: ['admin-digest'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await service.create(admin, { url: 'https://x.test', allUsers: true, kinds: ['admin-digest'] })).endpoint.ownerId).toBeNull();
  });

  it('hides other users\' endpoints from a non-admin', async () => {
    const { service } = setup();
    const { endpoint } = await service.create(admin, { url: 'https://x.test', allUsers: true });
    await expect(service.remove(alice, endpoint.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await service.remove(admin, endpoint.id);
    expect(await service.list(alice)).toEqual([]);
  });
});
