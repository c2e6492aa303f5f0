import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpWebhookSender } from './http-webhook.sender';

describe(HttpWebhookSender.name, () => {
  it('refuses a host that resolves to a private address when private targets are denied, without calling it', async () => {
    let called = 0;
    const server = createServer((_req, res) => (called++, res.writeHead(204).end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://localhost:${(server.address() as AddressInfo).port}/hook`;
    try {
      expect(await new HttpWebhookSender(2_000, false).post({ url, headers: {}, body: '{}' })).toEqual({ ok: false, detail: 'refused: localhost resolves to a private address' });
      expect(called).toBe(0);
      expect(await new HttpWebhookSender(2_000, true).post({ url, headers: {}, body: '{}' })).toEqual({ ok: true, detail: 'HTTP 204' });
      expect(called).toBe(1);
    } finally {
      server.close();
    }
  });
});
