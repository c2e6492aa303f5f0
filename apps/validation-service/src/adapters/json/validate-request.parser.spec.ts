import { parseValidateRequest } from './validate-request.parser';

describe('parseValidateRequest', () => {
  it('accepts a complete request and upper-cases the method', () => {
    expect(parseValidateRequest({ token: 'lk_x', method: 'get', path: '/a', ip: '10.0.0.1', userAgent: 'curl' })).toEqual({
      ok: true,
      value: { token: 'lk_x', method: 'GET', path: '/a', ip: '10.0.0.1', userAgent: 'curl' },
    });
  });

  it('accepts a request without credentials (decided as NO_CREDENTIALS)', () => {
    expect(parseValidateRequest({ method: 'GET', path: '/', ip: '::1' }).ok).toBe(true);
  });

  it.each([
    [null, 'the body must be a JSON object'],
    [[], 'the body must be a JSON object'],
    [{ path: '/', ip: '1.2.3.4' }, 'method is required'],
    [{ method: 'GET', ip: '1.2.3.4' }, 'path is required'],
    [{ method: 'GET', path: '/' }, 'ip is required'],
    [{ method: 7, path: '/', ip: '1.2.3.4' }, 'method must be a string'],
    [{ method: 'GE T', path: '/', ip: '1.2.3.4' }, 'method must be an HTTP method name'],
    [{ method: 'GET', path: '/', ip: 'localhost' }, 'ip must be an IPv4 or IPv6 address'],
    [{ method: 'GET', path: '/', ip: '1.2.3.4', token: 5 }, 'token must be a string'],
    [{ method: 'GET', path: '/', ip: '1.2.3.4', token: 'a', authorization: 'b' }, 'send either token or authorization, not both'],
    [{ method: 'GET', path: '/', ip: '1.2.3.4', Token: 'a' }, 'property Token should not exist'],
  ])('rejects %j: %s', (body, error) => {
    const result = parseValidateRequest(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContain(error);
  });
});
