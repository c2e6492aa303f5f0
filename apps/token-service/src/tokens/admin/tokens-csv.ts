import { TokenDetails } from '@latchkey/contracts';

const COLUMNS: Array<[string, (t: TokenDetails) => string | number | null]> = [
  ['id', (t) => t.id],
  ['name', (t) => t.name],
  ['owner', (t) => t.ownerId],
  ['createdBy', (t) => t.createdBy],
  ['scopes', (t) => t.scopes.join(' ')],
  ['status', (t) => t.effectiveStatus],
  ['createdAt', (t) => t.createdAt],
  ['expiresAt', (t) => t.expiresAt],
  ['lastUsedAt', (t) => t.lastUsedAt],
  ['lastUsedIp', (t) => t.lastUsedIp],
  ['useCount', (t) => t.useCount],
  ['allowedCidrs', (t) => t.allowedCidrs.join(' ')],
  ['hint', (t) => t.hint],
];

/** RFC 4180 quoting, and no cell may start a spreadsheet formula (CSV injection). */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tokensCsv(tokens: TokenDetails[], withHeader: boolean): string {
  const lines = tokens.map((t) => COLUMNS.map(([, get]) => csvCell(get(t))).join(','));
  if (withHeader) lines.unshift(COLUMNS.map(([name]) => name).join(','));
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}
