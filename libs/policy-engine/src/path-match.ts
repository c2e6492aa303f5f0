/**
 * Request paths for basic-auth exceptions. A pattern without `*` or `?` is a prefix (`/rest/api/2/` matches
 * everything below it); with them it is a glob: `*` = within one segment, `**` = across segments, `?` = one char.
 * Paths are normalised first (query dropped, percent-decoding, `//`, `.` and `..` resolved) so that
 * `/rest/api/2/../../secure` cannot slip through a `/rest/api/2/` prefix.
 */
export function normalizePath(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 8192) return null;
  let path = raw;
  const cut = path.search(/[?#]/);
  if (cut >= 0) path = path.slice(0, cut);
  try {
    path = decodeURIComponent(path);
  } catch {
    return null;
  }
  if (!path.startsWith('/') || path.includes('\0') || path.includes('\\')) return null;
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    if (seg === '' && !last) continue;
    if (seg === '.') {
      if (last) out.push('');
      continue;
    }
    if (seg === '..') {
      out.pop();
      if (last) out.push('');
      continue;
    }
    out.push(seg);
  }
  return `/${out.join('/')}`;
}

export type PathMatcher = (normalizedPath: string) => boolean;

function escapeRegex(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

export function compilePathPattern(pattern: string): PathMatcher {
  if (!isGlob(pattern)) return (path) => path.startsWith(pattern);
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += escapeRegex(c);
  }
  const regex = new RegExp(`^${re}$`);
  return (path) => regex.test(path);
}

/** Errors for a pattern list (each must start with `/`, no query, no `..`), naming the entry. */
export function checkPathPatterns(patterns: readonly string[], label: string): string[] {
  const errors: string[] = [];
  patterns.forEach((p, i) => {
    if (typeof p !== 'string' || !p.startsWith('/')) errors.push(`${label}[${i}]: a path pattern must start with "/"`);
    else if (p.includes('#')) errors.push(`${label}[${i}]: a path pattern has no fragment`);
    else if (p.split('/').some((s) => s === '..' || s === '.')) errors.push(`${label}[${i}]: a path pattern may not contain "." or ".." segments`);
  });
  return errors;
}
