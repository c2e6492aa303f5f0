import { Actor, Scope } from '@latchkey/contracts';

/** Who is calling the management API, as established by an auth strategy. */
export interface Principal {
  userId: string;
  via: Actor['via'];
  tokenId?: string;
  scopes: Scope[];
}

export function isAdmin(p: Principal): boolean {
  return p.scopes.includes('admin');
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
