import { BadRequestException } from '@nestjs/common';
import { strictValidationPipe } from '@latchkey/service-kit';
import { AuditQueryDto } from './audit-query.dto';

const validate = (query: Record<string, unknown>) =>
  strictValidationPipe().transform(query, { type: 'query', metatype: AuditQueryDto }) as Promise<AuditQueryDto>;

describe(AuditQueryDto.name, () => {
  it('accepts the filters and turns limit into a number', async () => {
    const q = await validate({
      tokenId: '0190f5c2-7b1e-7c3a-9d4e-aaaaaaaaaaaa',
      aggregateId: 'alice',
      type: 'TokenIssued',
      limit: '500',
    });
    expect(q).toEqual({ tokenId: '0190f5c2-7b1e-7c3a-9d4e-aaaaaaaaaaaa', aggregateId: 'alice', type: 'TokenIssued', limit: 500 });
  });

  it('accepts no filters at all', async () => {
    await expect(validate({})).resolves.toEqual({});
  });

  it.each([
    ['limit 0', { limit: '0' }],
    ['limit 501', { limit: '501' }],
    ['a fractional limit', { limit: '1.5' }],
    ['a non-numeric limit', { limit: 'ten' }],
    ['a repeated limit', { limit: ['1', '2'] }],
    ['a tokenId that is not a UUID', { tokenId: 'abc' }],
    ['a type with spaces', { type: 'Token Issued' }],
    ['an empty aggregateId', { aggregateId: '' }],
    ['an unknown parameter', { owner: 'alice' }],
  ])('rejects %s with a 400', async (_what, query) => {
    await expect(validate(query)).rejects.toBeInstanceOf(BadRequestException);
  });
});
