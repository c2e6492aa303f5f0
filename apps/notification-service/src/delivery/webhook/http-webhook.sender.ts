import { lookup } from 'node:dns/promises';
import { AttemptOutcome } from '../domain/retry-policy';
import { isAllowedTarget } from '../domain/webhook-target';
import { OutgoingWebhook, WebhookSender } from './webhook-sender.port';

/**
 * Node's fetch, no redirects followed (a signed body goes only where it was registered to go). Unless private
 * targets are allowed, every address the host resolves to must be public (checked before each attempt).
 */
export class HttpWebhookSender implements WebhookSender {
  constructor(
    private readonly timeoutMs: number,
    private readonly allowPrivate = true,
  ) {}

  async post(request: OutgoingWebhook): Promise<AttemptOutcome> {
    try {
      if (!this.allowPrivate) {
        const host = new URL(request.url).hostname.replace(/^\[|\]$/g, '');
        const addresses = await lookup(host, { all: true });
        const refused = addresses.find((a) => !isAllowedTarget(a.address, false));
        if (refused || addresses.length === 0) return { ok: false, detail: `refused: ${host} resolves to a private address` };
      }
      const res = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Latchkey-Webhooks/1', ...request.headers },
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.body?.cancel().catch(() => undefined);
      return res.status >= 200 && res.status < 300 ? { ok: true, detail: `HTTP ${res.status}` } : { ok: false, detail: `HTTP ${res.status}` };
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      return { ok: false, detail: timedOut ? `no answer within ${this.timeoutMs} ms` : `unreachable: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}
