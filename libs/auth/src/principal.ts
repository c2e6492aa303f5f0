import { Actor, ActorVia, Scope } from '@latchkey/contracts';

/** Who is calling a management API, as established by an auth strategy ('oidc' or 'latchkey-token'). */
export interface Principal {
  userId: string;
  via: ActorVia;
  /** the Latchkey token used, when via = latchkey-token */
  tokenId?: string;
  scopes: Scope[];
  /** groups from the OIDC token's groups claim; empty for Latchkey tokens (the directory knows those) */
  groups: string[];
  /** an OIDC user in the admin group, or a Latchkey token with the admin scope */
  isAdmin: boolean;
}

/** A read-scope credential may look but never change anything. */
export function canWrite(p: Principal): boolean {
  return p.scopes.includes('write') || p.scopes.includes('admin');
}

export function actorOf(p: Principal, onBehalfOf?: string): Actor {
  return {
    userId: p.userId,
    via: p.via,
    ...(p.tokenId ? { tokenId: p.tokenId } : {}),
    ...(onBehalfOf && onBehalfOf !== p.userId ? { onBehalfOf } : {}),
  };
}

/** The principal of an OIDC user: read and write on their own tokens, plus admin when in the admin group. */
export function oidcPrincipal(userId: string, groups: string[], adminGroup: string): Principal {
  const isAdmin = groups.includes(adminGroup);
  return { userId, via: 'oidc', scopes: isAdmin ? ['read', 'write', 'admin'] : ['read', 'write'], groups, isAdmin };
}

/** The principal of a Latchkey token: exactly the token's scopes; admin only with the admin scope. */
export function latchkeyTokenPrincipal(token: { id: string; ownerId: string; scopes: Scope[] }): Principal {
  return { userId: token.ownerId, via: 'latchkey-token', tokenId: token.id, scopes: [...token.scopes], groups: [], isAdmin: token.scopes.includes('admin') };
}
