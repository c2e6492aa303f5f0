import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const devUsersSchema = z
  .array(
    z.object({
      userName: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 . _ @ -'),
      name: z.string().min(1).optional(),
      groups: z.array(z.string().min(1)).default([]),
      /** defaults to the user name: these are demo accounts */
      password: z.string().min(1).optional(),
    }),
  )
  .min(1)
  .refine((users) => new Set(users.map((u) => u.userName)).size === users.length, 'user names must be unique');

export type DevUser = z.infer<typeof devUsersSchema>[number];

/** The demo directory (sub = user name, password = user name). */
export const DEMO_USERS: DevUser[] = [
  { userName: 'admin', name: 'Ada Admin', groups: ['latchkey-admins', 'jira-users'] },
  { userName: 'alice', name: 'Alice Example', groups: ['jira-users'] },
  { userName: 'bob', name: 'Bob Example', groups: ['jira-users', 'readers'] },
  { userName: 'carol', name: 'Carol Example', groups: [] },
  { userName: 'svc-ci', name: 'CI service account', groups: ['service-accounts'] },
];

export class DevUserDirectory {
  private readonly byName: Map<string, DevUser>;

  constructor(readonly users: DevUser[]) {
    this.byName = new Map(users.map((u) => [u.userName, u]));
  }

  find(userName: string): DevUser | undefined {
    return this.byName.get(userName);
  }

  /** the user when the password matches (constant time), otherwise undefined */
  login(userName: string, password: string): DevUser | undefined {
    const user = this.find(userName);
    if (!user) return undefined;
    const expected = Buffer.from(user.password ?? user.userName);
    const given = Buffer.from(password);
    return expected.length === given.length && timingSafeEqual(expected, given) ? user : undefined;
  }

  /** the claims of a user's tokens */
  claimsOf(user: DevUser): { sub: string; preferred_username: string; name: string; groups: string[] } {
    return { sub: user.userName, preferred_username: user.userName, name: user.name ?? user.userName, groups: [...user.groups] };
  }
}
