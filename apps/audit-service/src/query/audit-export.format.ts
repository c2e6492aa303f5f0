import { AuditEntryDto } from './dto/audit-entry.dto';

export const CSV_COLUMNS: Array<keyof AuditEntryDto> = [
  'seq', 'occurredAt', 'action', 'outcome', 'reason', 'actorId', 'actorVia', 'actorTokenId', 'onBehalfOf', 'ownerId',
  'tokenId', 'userId', 'groupId', 'ip', 'userAgent', 'category', 'eventId', 'recordedAt', 'hash',
];

/** RFC 4180 quoting; a leading = + - @ is neutralised so a spreadsheet never runs a cell as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(e: AuditEntryDto): string {
  return `${CSV_COLUMNS.map((c) => csvCell(e[c])).join(',')}\r\n`;
}

export function ndjsonLine(e: AuditEntryDto): string {
  return `${JSON.stringify(e)}\n`;
}
