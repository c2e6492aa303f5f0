import { Principal } from '@latchkey/auth';
import { MandatoryNotice, Preference } from './domain/channel-selection';
import { PreferencesRepository } from './preferences.repository';
import { PreferencesService } from './preferences.service';

const alice: Principal = { userId: 'alice', via: 'oidc', scopes: ['read', 'write'], groups: [], isAdmin: false };

function setup() {
  const stored = new Map<string, Preference[]>();
  let mandatory: MandatoryNotice[] = [{ kind: 'reuse-detected', channel: 'email' }];
  const repo = {
    forUsers: async (ids: string[]) => new Map(ids.filter((id) => stored.has(id)).map((id) => [id, stored.get(id)!])),
    replaceForUser: async (id: string, p: Preference[]) => void stored.set(id, p),
    mandatory: async () => mandatory,
    replaceMandatory: async (m: MandatoryNotice[]) => void (mandatory = m),
  } as unknown as PreferencesRepository;
  return { service: new PreferencesService(repo), stored };
}

describe(PreferencesService.name, () => {
  it('lists every kind and channel, on by default, with what admins made mandatory', async () => {
    const { service } = setup();
    const all = await service.effective(alice);
    expect(all).toHaveLength(10);
    expect(all.find((p) => p.kind === 'reuse-detected' && p.channel === 'email')).toEqual({ kind: 'reuse-detected', channel: 'email', enabled: true, mandatory: true });
    expect(all.every((p) => p.enabled)).toBe(true);
  });

  it('stores a user\'s choices, the last of duplicates winning', async () => {
    const { service, stored } = setup();
    await service.replace(alice, [
      { kind: 'expired', channel: 'email', enabled: true },
      { kind: 'expired', channel: 'email', enabled: false },
    ]);
    expect(stored.get('alice')).toEqual([{ kind: 'expired', channel: 'email', enabled: false }]);
  });

  it('refuses changes from a read-only credential', async () => {
    const { service } = setup();
    await expect(service.replace({ ...alice, scopes: ['read'] }, [])).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
