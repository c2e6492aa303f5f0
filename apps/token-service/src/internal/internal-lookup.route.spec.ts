import { Agent, createServer, OutgoingHttpHeaders, request, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { TokenLookupResult, TokenView } from '@latchkey/contracts';
import { aTokenView } from '@latchkey/testing';
import { createInternalLookupRoute, MAX_LOOKUP_BODY_BYTES, tokenLookupRequestErrors, TokenLookupSource } from './internal-lookup.route';

const SECRET = 'internal-secret-0123456789';
const KNOWN = 'a'.repeat(64);
const UNKNOWN = 'b'.repeat(64);
const DB_DOWN = 'c'.repeat(64);
const BROKEN = 'd'.repeat(64);

const view: TokenView = aTokenView({ secretGeneration: 2, version: 3 });
const found: TokenLookupResult = { secretGeneration: 2, token: view };

/** token-service's TokenRepository, as far as the route sees it */
class FakeTokens implements TokenLookupSource {
  readonly asked: string[] = [];
  async findBySecretHash(secretHash: string): Promise<TokenLookupResult | null> {
    this.asked.push(secretHash);
    if (secretHash === DB_DOWN) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    if (secretHash === BROKEN) throw new Error('relation "token.token_secrets" does not exist');
    return secretHash === KNOWN ? found : null;
  }
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

describe('POST /internal/v1/tokens/lookup on node:http', () => {
  let server: Server;
  let port: number;
  const tokens = new FakeTokens();
  /** the client port of every request, to tell a kept connection from a new one */
  const clientPorts: number[] = [];

  beforeAll(async () => {
    const route = createInternalLookupRoute({ tokens, internalSecret: SECRET });
    server = createServer((req, res) => {
      clientPorts.push(req.socket.remotePort ?? 0);
      // what Nest answers for anything the route passes on
      if (!route(req, res)) res.writeHead(418).end('{"passedOn":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });

  function call(body: Buffer | string | null, headers: OutgoingHttpHeaders = {}, options: { method?: string; path?: string; chunked?: boolean } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path ?? '/internal/v1/tokens/lookup', agent: false, headers },
        (res) => {
          let raw = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (raw += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} }));
        },
      );
      // an answer before the whole body is sent may reset the connection under the writer: the answer still counts
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
      if (body === null) req.end();
      else if (options.chunked) {
        // no content-length: the size is only known while reading
        const bytes = Buffer.from(body);
        for (let i = 0; i < bytes.length; i += 16 * 1024) req.write(bytes.subarray(i, i + 16 * 1024));
        req.end();
      } else req.end(body);
    });
  }
  const authed = (extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders => ({ 'x-latchkey-internal': SECRET, 'content-type': 'application/json', ...extra });
  const lookup = (secretHash: unknown) => call(JSON.stringify({ secretHash }), authed());

  it('answers 200 with the token and the secret generation of a known hash', async () => {
    const res = await lookup(KNOWN);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual(found);
    expect(tokens.asked).toContain(KNOWN);
  });

  it('answers 404 problem+json for a hash no token has', async () => {
    const res = await lookup(UNKNOWN);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no token has this hash', code: 'TOKEN_NOT_FOUND' });
  });

  it.each([
    ['no internal secret', { 'content-type': 'application/json' }],
    ['a wrong internal secret', { 'x-latchkey-internal': `${SECRET}x`, 'content-type': 'application/json' }],
    ['an empty internal secret', { 'x-latchkey-internal': '', 'content-type': 'application/json' }],
  ])('answers 401 problem+json with %s, before reading the body', async (_, headers) => {
    const before = tokens.asked.length;
    const res = await call(JSON.stringify({ secretHash: KNOWN }), headers);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'internal endpoint', code: 'UNAUTHENTICATED' });
    expect(tokens.asked.length).toBe(before);
  });

  it('checks the internal secret before anything else about the request', async () => {
    expect((await call('not json', { 'content-type': 'text/plain' })).status).toBe(401);
  });

  it.each([
    ['not JSON', 'secretHash=abc'],
    ['cut off', '{"secretHash":'],
    ['empty', ''],
  ])('answers 400 problem+json when the body is %s', async (_, body) => {
    const res = await call(body, authed());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, detail: 'request body is not valid JSON' });
  });

  it.each([
    ['a hash of the wrong length', { secretHash: 'abc' }, ['secretHash must be 64 lower-case hex characters']],
    ['an upper-case hash', { secretHash: KNOWN.toUpperCase() }, ['secretHash must be 64 lower-case hex characters']],
    ['a number', { secretHash: 42 }, ['secretHash must be a string', 'secretHash must be 64 lower-case hex characters']],
    ['no hash', {}, ['secretHash must be a string', 'secretHash must be 64 lower-case hex characters']],
    ['an unknown property', { secretHash: KNOWN, reason: 'x' }, ['property reason should not exist']],
    ['an array', [KNOWN], ['request body must be a JSON object']],
    ['null', null, ['request body must be a JSON object']],
  ])('answers 400 problem+json listing what is wrong with %s', async (_, body, errors) => {
    const res = await call(JSON.stringify(body), authed());
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ type: 'about:blank', title: 'Bad Request', status: 400, detail: errors.join('; '), errors });
  });

  it.each<[string, OutgoingHttpHeaders]>([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no content type', { 'content-type': undefined }],
    ['application/jsonp', { 'content-type': 'application/jsonp' }],
    ['a gzip-encoded body', { 'content-encoding': 'gzip' }],
  ])('answers 415 problem+json for %s', async (_, extra) => {
    const headers = authed(extra);
    if ('content-type' in extra && extra['content-type'] === undefined) delete headers['content-type'];
    const res = await call(JSON.stringify({ secretHash: KNOWN }), headers);
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });

  it.each([['application/json; charset=utf-8'], ['application/merge-patch+json'], ['Application/JSON']])('accepts %s', async (type) => {
    expect((await call(JSON.stringify({ secretHash: KNOWN }), authed({ 'content-type': type }))).status).toBe(200);
  });

  it('answers 413 problem+json when the declared body is over 64 KiB', async () => {
    const big = Buffer.alloc(MAX_LOOKUP_BODY_BYTES + 1, 0x20);
    const res = await call(big, authed());
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 413, detail: 'request body is larger than 64 KiB' });
  });

  it('answers 413 when a body without a declared length grows over 64 KiB', async () => {
    const big = Buffer.concat([Buffer.from(`{"secretHash":"${KNOWN}","pad":"`), Buffer.alloc(MAX_LOOKUP_BODY_BYTES, 0x61), Buffer.from('"}')]);
    const res = await call(big, authed(), { chunked: true });
    expect(res.status).toBe(413);
  });

  it('reads a body of exactly 64 KiB', async () => {
    const json = JSON.stringify({ secretHash: KNOWN });
    const body = Buffer.concat([Buffer.from(json), Buffer.alloc(MAX_LOOKUP_BODY_BYTES - json.length, 0x20)]);
    expect((await call(body, authed(), { chunked: true })).status).toBe(200);
  });

  it('answers 503 when the database is unreachable and a bare 500 on any other failure', async () => {
    // both are logged (the filter's Logger), never with the HMAC
    const logged = [jest.spyOn(Logger.prototype, 'warn').mockImplementation(), jest.spyOn(Logger.prototype, 'error').mockImplementation()];
    const down = await lookup(DB_DOWN);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 503, detail: 'a dependency is unavailable; retry later' });
    const broken = await lookup(BROKEN);
    expect(broken.status).toBe(500);
    expect(broken.body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'unexpected error' });
    const lines = logged.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(' ')));
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toMatch(/[cd]{64}/);
    for (const spy of logged) spy.mockRestore();
  });

  it('serves the path with a query string too', async () => {
    expect((await call(JSON.stringify({ secretHash: KNOWN }), authed(), { path: '/internal/v1/tokens/lookup?x=1' })).status).toBe(200);
  });

  it.each<[string, { method?: string; path?: string }]>([
    ['another method on the path', { method: 'GET' }],
    ['another path', { path: '/internal/v1/tokens/reuse' }],
    ['a longer path', { path: '/internal/v1/tokens/lookup/x' }],
  ])('passes on %s', async (_, options) => {
    const res = await call(options.method === 'GET' ? null : JSON.stringify({ secretHash: KNOWN }), authed(), options);
    expect(res.status).toBe(418);
  });

  it('keeps the connection for the next lookup after 200, 404 and 400 answers', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const from = clientPorts.length;
    try {
      for (const body of [{ secretHash: KNOWN }, { secretHash: UNKNOWN }, { secretHash: 'x' }, { secretHash: KNOWN }]) {
        await new Promise<void>((resolve, reject) => {
          const payload = JSON.stringify(body);
          const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/internal/v1/tokens/lookup', agent, headers: authed({ 'content-length': Buffer.byteLength(payload) }) }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          });
          req.on('error', reject);
          req.end(payload);
        });
      }
    } finally {
      agent.destroy();
    }
    expect(clientPorts.length - from).toBe(4);
    expect(new Set(clientPorts.slice(from)).size).toBe(1);
  });
});

describe(tokenLookupRequestErrors.name, () => {
  it('accepts exactly {secretHash: 64 lower-case hex}', () => {
    expect(tokenLookupRequestErrors({ secretHash: '0123456789abcdef'.repeat(4) })).toEqual([]);
  });

  it('rejects a string body', () => {
    expect(tokenLookupRequestErrors('a'.repeat(64))).toEqual(['request body must be a JSON object']);
  });
});
