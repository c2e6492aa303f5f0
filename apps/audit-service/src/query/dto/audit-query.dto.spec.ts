import { BadRequestException } from '@nestjs/common';
import { strictValidationPipe } from '@latchkey/service-kit';
import { AuditExportDto, AuditQueryDto } from './audit-query.dto';

const validate = <T>(metatype: new () => T, query: Record<string, unknown>) =>
  strictValidationPipe().transform(query, { type: 'query', metatype }) as Promise<T>;

describe(AuditQueryDto.name, () => {
  it('accepts every filter and turns limit into a number', async () => {
    const q = await validate(AuditQueryDto, {
      actor: 'admin',
      owner: 'alice',
      tokenId: '0190f5c2-7b1e-7c3a-9d4e-aaaaaaaaaaaa',
      action: 'TokenRevoked',
      outcome: 'failure',
      ip: '2001:db8::1',
      from: '2025-01-01T00:00:00Z',
      to: '2025-02-01T00:00:00.000+01:00',
      limit: '500',
      cursor: 'czEyMw',
    });
    expect(q).toMatchObject({ actor: 'admin', action: 'TokenRevoked', limit: 500 });
  });

  it('accepts no filters at all', async () => {
    await expect(validate(AuditQueryDto, {})).resolves.toEqual({});
  });

  it.each([
    ['limit 0', { limit: '0' }],
    ['a huge limit', { limit: '100000' }],
    ['a fractional limit', { limit: '1.5' }],
    ['a non-numeric limit', { limit: 'ten' }],
    ['a repeated limit', { limit: ['1', '2'] }],
    ['a tokenId that is not a UUID', { tokenId: 'abc' }],
    ['an unknown action', { action: 'TokenStolen' }],
    ['an unknown outcome', { outcome: 'maybe' }],
    ['a bad IP', { ip: '300.1.1.1' }],
    ['a date that is not a date', { from: 'yesterday' }],
    ['an impossible date', { to: '2025-02-30T00:00:00Z' }],
    ['an empty actor', { actor: '' }],
    ['a cursor with odd characters', { cursor: '../../etc' }],
    ['an unknown parameter', { sort: 'asc' }],
  ])('rejects %s with a 400', async (_what, query) => {
    await expect(validate(AuditQueryDto, query)).rejects.toBeInstanceOf(BadRequestException);
  });
});

describe(AuditExportDto.name, () => {
  it('accepts ndjson and csv and nothing else', async () => {
    await expect(validate(AuditExportDto, { format: 'csv' })).resolves.toEqual({ format: 'csv' });
    await expect(validate(AuditExportDto, { format: 'xml' })).rejects.toBeInstanceOf(BadRequestException);
    await expect(validate(AuditExportDto, { limit: '5' })).rejects.toBeInstanceOf(BadRequestException);
  });
});
