import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aTokenView } from '../test-fixtures';
import { SourceUnavailableError } from '../token-read-model.port';
import { HttpTokenSource } from './http-token-source';

describe(HttpTokenSource.name, () => {
  let server: Server;
  let base: string;
  const seen: { url?: string; method?: string; secret?: string; body?: unknown; port?: number } = {};

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      seen.url = req.url;
      seen.method = req.method;
      seen.secret = String(req.headers['x-latchkey-internal']);
      seen.port = req.socket.remotePort;
      let raw = '';
      for await (const chunk of req) raw += String(chunk);
      seen.body = JSON.parse(raw);
      const hash = (seen.body as { secretHash: string }).secretHash;
      if (req.url !== '/internal/v1/tokens/lookup') res.writeHead(hash === 'unknown' ? 404 : 200).end(hash === 'yes' ? '{"revoked":true}' : '{}');
      else if (hash === 'known') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ secretGeneration: 1, token: aTokenView() }));
      else if (hash === 'broken') res.writeHead(500).end();
      else if (hash === 'weird') res.writeHead(200).end('{"nope":1}');
      else if (hash === 'not-json') res.writeHead(200).end('<html>');
      else if (hash === 'slow') setTimeout(() => res.writeHead(404).end(), 500);
      else if (hash === 'stalls') res.writeHead(200).write('{"secretGeneration":'); // never ends
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });

  // a generous timeout where the test is not about it: the machine running the tests may be busy
  const source = (timeoutMs = 5_000) => new HttpTokenSource({ baseUrl: `${base}/`, internalSecret: 'internal-secret-123', timeoutMs });

  it('finds a token with the internal secret', async () => {
    expect(await source().findByHash('known')).toEqual({ secretGeneration: 1, token: aTokenView() });
    expect(seen).toMatchObject({ url: '/internal/v1/tokens/lookup', method: 'POST', secret: 'internal-secret-123', body: { secretHash: 'known' } });
  });

  it('answers null on 404', async () => {
    expect(await source().findByHash('unknown')).toBeNull();
  });

  it('keeps the connection to token-service for the next lookup', async () => {
    const one = source();
    await one.findByHash('known');
    const port = seen.port;
    await one.findByHash('unknown');
    expect(seen.port).toBe(port);
  });

  it.each([
    ['broken', 'token-service answered 500'],
    ['weird', 'token-service answered an unexpected lookup shape'],
    ['not-json', 'token-service answered a body that is not JSON'],
    ['slow', 'token-service timeout after 200 ms'],
    ['stalls', 'token-service timeout after 200 ms'],
  ])('throws SourceUnavailableError when the answer is %s', async (hash, message) => {
    const thrown = await source(200)
      .findByHash(hash)
      .catch((err: unknown) => err);
    expect(thrown).toBeInstanceOf(SourceUnavailableError);
    expect((thrown as Error).message).toBe(message);
  });

  it('throws SourceUnavailableError when unreachable, without the hash in the message', async () => {
    const dead = new HttpTokenSource({ baseUrl: 'http://127.0.0.1:1', internalSecret: 'x'.repeat(16), timeoutMs: 200 });
    await expect(dead.findByHash('deadbeef')).rejects.toThrow(/^token-service unreachable$/);
  });

  it('reports reuse and revokes by hash on their internal paths', async () => {
    expect(await source().reportReuse('yes')).toEqual({ revoked: true });
    expect(seen).toMatchObject({ url: '/internal/v1/tokens/reuse', secret: 'internal-secret-123', body: { secretHash: 'yes' } });
    expect(await source().revokeByHash('yes', 'RFC 7009')).toEqual({ revoked: true });
    expect(seen).toMatchObject({ url: '/internal/v1/tokens/revoke-by-hash', body: { secretHash: 'yes', reason: 'RFC 7009' } });
    expect(await source().revokeByHash('unknown', 'RFC 7009')).toEqual({ revoked: false });
  });

  it('says token-service is unreachable when a reuse report or revoke cannot be sent', async () => {
    const dead = new HttpTokenSource({ baseUrl: 'http://127.0.0.1:1', internalSecret: 'x'.repeat(16), timeoutMs: 200 });
    await expect(dead.reportReuse('deadbeef')).rejects.toThrow(new SourceUnavailableError('token-service unreachable'));
    await expect(dead.revokeByHash('deadbeef', 'r')).rejects.toThrow(new SourceUnavailableError('token-service unreachable'));
  });
});
