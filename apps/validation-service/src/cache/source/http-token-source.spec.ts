import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aTokenView } from '../test-fixtures';
import { SourceUnavailableError } from '../token-read-model.port';
import { HttpTokenSource } from './http-token-source';

describe(HttpTokenSource.name, () => {
  let server: Server;
  let base: string;
  const seen: { url?: string; method?: string; secret?: string } = {};

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      seen.url = req.url;
      seen.method = req.method;
      seen.secret = String(req.headers['x-latchkey-internal']);
      let raw = '';
      for await (const chunk of req) raw += String(chunk);
      const hash = (JSON.parse(raw) as { secretHash: string }).secretHash;
      if (hash === 'known') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ secretGeneration: 1, token: aTokenView() }));
      else if (hash === 'broken') res.writeHead(500).end();
      else if (hash === 'weird') res.writeHead(200).end('{"nope":1}');
      else if (hash === 'slow') setTimeout(() => res.writeHead(404).end(), 500);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const source = () => new HttpTokenSource({ baseUrl: `${base}/`, internalSecret: 'internal-secret-123', timeoutMs: 200 });

  it('finds a token with the internal secret', async () => {
    expect(await source().findByHash('known')).toEqual({ secretGeneration: 1, token: aTokenView() });
    expect(seen).toEqual({ url: '/internal/v1/tokens/lookup', method: 'POST', secret: 'internal-secret-123' });
  });

  it('answers null on 404', async () => {
    expect(await source().findByHash('unknown')).toBeNull();
  });

  it.each(['broken', 'weird', 'slow'])('throws SourceUnavailableError when the answer is %s', async (hash) => {
    await expect(source().findByHash(hash)).rejects.toBeInstanceOf(SourceUnavailableError);
  });

  it('throws SourceUnavailableError when unreachable, without the hash in the message', async () => {
    const dead = new HttpTokenSource({ baseUrl: 'http://127.0.0.1:1', internalSecret: 'x'.repeat(16), timeoutMs: 200 });
    await expect(dead.findByHash('deadbeef')).rejects.toThrow(/^token-service unreachable$/);
  });
});
