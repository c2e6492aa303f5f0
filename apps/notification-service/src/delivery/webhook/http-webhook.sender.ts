import { AttemptOutcome } from '../domain/retry-policy';
import { OutgoingWebhook, WebhookSender } from './webhook-sender.port';

/** Node's fetch, no redirects followed (a signed body goes only where it was registered to go). */
export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly timeoutMs: number) {}

  async post(request: OutgoingWebhook): Promise<AttemptOutcome> {
    try {
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
