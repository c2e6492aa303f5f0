import { Injectable } from '@nestjs/common';
import { CommonErrorCodes, DomainError } from '@latchkey/contracts';
import { AuditEntryFilter, AuditEntryRepository } from '../entries/audit-entry.repository';
import { AuditEntry } from '../entries/domain/audit-record';
import { AuditFilterDto } from './dto/audit-query.dto';
import { AuditEntryDto } from './dto/audit-entry.dto';

export function encodeCursor(seq: number): string {
  return Buffer.from(`s${seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const m = /^s([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new DomainError(CommonErrorCodes.invalid, 'cursor is not a cursor this API returned');
  return Number(m[1]);
}

export function toFilter(q: AuditFilterDto): AuditEntryFilter {
  const from = q.from !== undefined ? new Date(q.from) : undefined;
  const to = q.to !== undefined ? new Date(q.to) : undefined;
  if ((from && Number.isNaN(from.getTime())) || (to && Number.isNaN(to.getTime()))) {
    throw new DomainError(CommonErrorCodes.invalid, 'from and to must be valid dates');
  }
  if (from && to && from > to) throw new DomainError(CommonErrorCodes.invalid, 'from must not be after to');
  return {
    actor: q.actor,
    owner: q.owner,
    tokenId: q.tokenId?.toLowerCase(),
    aggregateId: q.aggregateId,
    action: q.action,
    outcome: q.outcome,
    ip: q.ip,
    from,
    to,
  };
}

export function toDto(e: AuditEntry): AuditEntryDto {
  return {
    seq: e.seq,
    eventId: e.eventId,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
    category: e.category,
    action: e.action,
    outcome: e.outcome,
    reason: e.reason,
    actorId: e.actorId,
    actorVia: e.actorVia,
    actorTokenId: e.actorTokenId,
    onBehalfOf: e.onBehalfOf,
    ownerId: e.ownerId,
    tokenId: e.tokenId,
    userId: e.userId,
    groupId: e.groupId,
    ip: e.ip,
    userAgent: e.userAgent,
    topic: e.topic,
    type: e.type,
    aggregateType: e.aggregateType,
    aggregateId: e.aggregateId,
    version: e.version,
    hash: e.hash,
    prevHash: e.prevHash,
    payload: e.payload,
  };
}

@Injectable()
export class AuditQueryService {
  constructor(private readonly entries: AuditEntryRepository) {}

  async search(filter: AuditEntryFilter, limit: number): Promise<{ items: AuditEntryDto[]; nextCursor: string | null }> {
    // one more than asked tells whether an older page exists
    const rows = await this.entries.find(filter, limit + 1);
    const page = rows.slice(0, limit);
    return { items: page.map(toDto), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].seq) : null };
  }

  async *export(filter: AuditEntryFilter): AsyncGenerator<AuditEntryDto> {
    for await (const e of this.entries.stream(filter)) yield toDto(e);
  }
}
