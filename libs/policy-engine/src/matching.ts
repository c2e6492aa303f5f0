import type { DirectoryView } from './directory-view';

const lower = (s: string) => s.toLowerCase();

/** Everything a user may be named by in a rule: the reference given, its directory id and userName (lower case). */
export function userIdentities(directory: DirectoryView, userRef: string): Set<string> {
  const out = new Set([lower(userRef)]);
  const u = directory.user(userRef);
  if (u) {
    out.add(lower(u.id));
    out.add(lower(u.userName));
  }
  return out;
}

/** The user's groups (from the directory, plus any the caller knows, e.g. an OIDC claim), by id and name. */
export function groupIdentities(directory: DirectoryView, userRef: string, extraGroups: readonly string[] = []): Set<string> {
  const out = new Set<string>();
  for (const g of extraGroups) {
    out.add(lower(g));
    const known = directory.group(g);
    if (known) {
      out.add(lower(known.id));
      out.add(lower(known.displayName));
    }
  }
  for (const g of directory.groupsOf(userRef)) {
    out.add(lower(g.id));
    out.add(lower(g.displayName));
  }
  return out;
}

export function matchesUser(refs: readonly string[] | undefined, identities: Set<string>): boolean {
  return !!refs?.some((r) => identities.has(lower(r)));
}

export function matchesGroup(refs: readonly string[] | undefined, groups: Set<string>, directory: DirectoryView): boolean {
  return !!refs?.some((r) => {
    if (groups.has(lower(r))) return true;
    const g = directory.group(r);
    return !!g && (groups.has(lower(g.id)) || groups.has(lower(g.displayName)));
  });
}
