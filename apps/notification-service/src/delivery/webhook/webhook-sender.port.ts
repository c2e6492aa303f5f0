import { AttemptOutcome } from '../domain/retry-policy';

export interface OutgoingWebhook {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Port: POSTs one webhook. A 2xx answer is success; anything else (or no answer in time) a failed attempt. */
export interface WebhookSender {
  post(request: OutgoingWebhook): Promise<AttemptOutcome>;
}

export const WEBHOOK_SENDER = Symbol('WEBHOOK_SENDER');
