import { Injectable } from '@nestjs/common';
import { CommonErrorCodes, DomainError } from '@latchkey/contracts';
import { DeliveryRepository } from '../delivery/delivery.repository';
import { Delivery, DeliveryAttempt } from '../delivery/delivery.types';
import { DeliveryWakeup } from '../delivery/delivery-wakeup';
import { DeliveryQueryDto } from './dto/deliveries.dto';

/** A delivery as the log lists it: everything but the rendered content. */
export type DeliverySummary = Omit<Delivery, 'content' | 'dedupeKey' | 'endpointId'>;

const summary = ({ content: _content, dedupeKey: _dedupeKey, endpointId: _endpointId, ...rest }: Delivery): DeliverySummary => rest;

export function encodeCursor(d: Pick<Delivery, 'createdAt' | 'id'>): string {
  return Buffer.from(`${d.createdAt}|${d.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/i.test(id ?? '')) {
    throw new DomainError(CommonErrorCodes.invalid, 'cursor is not one this API handed out');
  }
  return { createdAt, id };
}

/** The delivery log, the dead-letter store and replays (administrators). */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly wakeup: DeliveryWakeup,
  ) {}

  async list(q: DeliveryQueryDto): Promise<{ items: DeliverySummary[]; nextCursor: string | null }> {
    const limit = q.limit ?? 100;
    const rows = await this.deliveries.list({
      status: q.status,
      kind: q.kind,
      channel: q.channel,
      userId: q.userId,
      tokenId: q.tokenId,
      before: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit,
    });
    return { items: rows.map(summary), nextCursor: rows.length === limit ? encodeCursor(rows[rows.length - 1]) : null };
  }

  async get(id: string): Promise<DeliverySummary & { attemptLog: DeliveryAttempt[]; subject: string | null }> {
    const d = await this.deliveries.get(id);
    if (!d) throw new DomainError(CommonErrorCodes.notFound, 'no such delivery');
    return { ...summary(d), subject: d.content.channel === 'email' ? d.content.subject : null, attemptLog: await this.deliveries.attempts(id) };
  }

  /** puts a dead letter back in the queue with a fresh set of attempts (same id: receivers still deduplicate) */
  async replay(id: string): Promise<DeliverySummary> {
    const d = await this.deliveries.get(id);
    if (!d) throw new DomainError(CommonErrorCodes.notFound, 'no such delivery');
    if (!(await this.deliveries.replay(id))) throw new DomainError(CommonErrorCodes.conflict, `only a dead letter can be replayed; this delivery is ${d.status}`);
    this.wakeup.wake();
    return summary((await this.deliveries.get(id)) ?? d);
  }
}
